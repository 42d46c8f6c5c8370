/// A binary min-heap of jobs ordered by due time (ties: older job first): the ready queue of
/// one target. Claiming the next due job is O(log n); no scan.
///
/// Entries are never removed from the middle: a job that changes state gets a new generation,
/// and entries with an old generation are dropped when they reach the top ("lazy deletion").
struct DueHeap {
    struct Entry: Sendable {
        var due: Int64
        var job: UInt32
        var generation: UInt32

        func precedes(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : job < other.job
        }
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var top: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        let first = entries[0]
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < entries.count else { break }
                var smallest = left
                if left + 1 < entries.count && entries[left + 1].precedes(entries[left]) { smallest = left + 1 }
                guard entries[smallest].precedes(entries[parent]) else { break }
                entries.swapAt(smallest, parent)
                parent = smallest
            }
        }
        return first
    }

    /// Rebuilds from the entries `keep` accepts (drops stale entries in O(n)).
    mutating func rebuild(keeping keep: (Entry) -> Bool) {
        let kept = entries.filter(keep)
        entries = []
        entries.reserveCapacity(kept.count)
        for entry in kept.sorted(by: { $0.precedes($1) }) { entries.append(entry) }
    }
}
