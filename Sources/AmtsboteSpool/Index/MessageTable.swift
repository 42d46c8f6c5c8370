/// Message id → index slot: an open-addressing hash table (linear probing, Fibonacci hashing).
///
/// Swift's `Dictionary` hashes every key with SipHash and showed up as a fifth of start-up time
/// at a million messages; ids are already random, so one multiplication spreads them. Entries
/// are never removed one by one: purge builds a new index, so no tombstones are needed.
///
/// Id and slot share a 24-byte bucket (one memory access per probe, not one in each of two
/// arrays; a bucket sometimes spans two cache lines), and
/// `warm` lets a group of inserts take their cache misses together: the table is tens of MiB,
/// and at concurrency 128 inserting one id after another cost 0.34 µs each (a memory round
/// trip, 8 % of the CPU samples), on the writer lane that the batch's callers wait for.
struct MessageTable: Sendable {
    private struct Bucket: Sendable {
        var id: MessageID
        /// Slot + 1; 0 marks an empty bucket.
        var slotPlusOne: UInt32
    }

    private var buckets: [Bucket]
    private var shift: UInt64
    private(set) var count = 0
    /// What `warm` read, kept so that its loads are not optimized away.
    private var warmed: UInt32 = 0

    init(minimumCapacity: Int = 1024) {
        var capacity = 1024
        while capacity * 7 / 10 < minimumCapacity { capacity *= 2 }
        buckets = Array(repeating: Bucket(id: MessageID(high: 0, low: 0), slotPlusOne: 0), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    private func bucket(_ id: MessageID) -> Int {
        Int(truncatingIfNeeded: ((id.low ^ id.high) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    subscript(id: MessageID) -> UInt32? {
        let mask = buckets.count - 1
        var index = bucket(id)
        while true {
            let stored = buckets[index]
            if stored.slotPlusOne == 0 { return nil }
            if stored.id == id { return stored.slotPlusOne - 1 }
            index = (index + 1) & mask
        }
    }

    /// Reads the buckets where `ids` start probing, all before any of them is needed, so that
    /// the CPU fetches them in parallel; the inserts that follow then find them in cache.
    mutating func warm(_ ids: some Sequence<MessageID>) {
        var sum: UInt32 = 0
        for id in ids { sum &+= buckets[bucket(id)].slotPlusOne }
        warmed = sum
    }

    /// Adds `id` unless it is there; returns false if it was (one probe sequence for both).
    @discardableResult
    mutating func insert(_ id: MessageID, slot: UInt32) -> Bool {
        if (count + 1) * 10 > buckets.count * 7 { grow() }
        let mask = buckets.count - 1
        var index = bucket(id)
        while buckets[index].slotPlusOne != 0 {
            if buckets[index].id == id { return false }
            index = (index + 1) & mask
        }
        buckets[index] = Bucket(id: id, slotPlusOne: slot + 1)
        count += 1
        return true
    }

    private mutating func grow() {
        var bigger = MessageTable(minimumCapacity: buckets.count)
        for stored in buckets where stored.slotPlusOne != 0 {
            bigger.insert(stored.id, slot: stored.slotPlusOne - 1)
        }
        self = bigger
    }
}
