/// Message id → index slot: an open-addressing hash table (linear probing, Fibonacci hashing).
///
/// Swift's `Dictionary` hashes every key with SipHash and showed up as a fifth of start-up time
/// at a million messages; ids are already random, so one multiplication spreads them. Entries
/// are never removed one by one: purge builds a new index, so no tombstones are needed.
struct MessageTable: Sendable {
    private var ids: [MessageID]
    /// Slot + 1; 0 marks an empty bucket.
    private var slots: [UInt32]
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 1024) {
        var buckets = 1024
        while buckets * 7 / 10 < minimumCapacity { buckets *= 2 }
        ids = Array(repeating: MessageID(high: 0, low: 0), count: buckets)
        slots = Array(repeating: 0, count: buckets)
        shift = UInt64(64 - buckets.trailingZeroBitCount)
    }

    private func bucket(_ id: MessageID) -> Int {
        Int(truncatingIfNeeded: ((id.low ^ id.high) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    subscript(id: MessageID) -> UInt32? {
        let mask = slots.count - 1
        var index = bucket(id)
        while true {
            let stored = slots[index]
            if stored == 0 { return nil }
            if ids[index] == id { return stored - 1 }
            index = (index + 1) & mask
        }
    }

    /// Adds `id` unless it is there; returns false if it was (one probe sequence for both).
    @discardableResult
    mutating func insert(_ id: MessageID, slot: UInt32) -> Bool {
        if (count + 1) * 10 > slots.count * 7 { grow() }
        let mask = slots.count - 1
        var index = bucket(id)
        while slots[index] != 0 {
            if ids[index] == id { return false }
            index = (index + 1) & mask
        }
        ids[index] = id
        slots[index] = slot + 1
        count += 1
        return true
    }

    private mutating func grow() {
        var bigger = MessageTable(minimumCapacity: slots.count)
        for index in slots.indices where slots[index] != 0 {
            bigger.insert(ids[index], slot: slots[index] - 1)
        }
        self = bigger
    }
}
