import Foundation
import Testing

@testable import AmtsboteSpool

/// The index as a pure value: ready queues, claims and stale entries, without any disk.
@Suite struct SpoolIndexTests {
    private func location(_ n: Int) -> RecordLocation {
        RecordLocation(segment: 1, offset: UInt32(n * 100), length: 100)
    }

    private func insert(_ index: inout SpoolIndex, _ id: MessageID, at time: Int64, target: UInt32) {
        var none: [SpoolIndex.Change] = []
        index.insert(
            id: id, location: location(Int(time)), receivedAt: time, client: 0, targets: [target], keyHash: 0,
            collecting: false, into: &none
        )
    }

    /// Claims the next due job of `target` and returns its message id.
    private func claim(_ index: inout SpoolIndex, _ target: UInt32, now: Int64) -> MessageID? {
        guard let claimed = index.claim(target: target, now: now) else { return nil }
        return index.messages[Int(index.jobs[Int(claimed.job)].message)].id
    }

    @Test func claimsInDueOrderAndSkipsStaleEntries() {
        var index = SpoolIndex()
        let generator = MessageID.Generator()
        let target = index.target("a")
        let ids = (0..<5).map { _ in generator.next() }
        for (n, id) in ids.enumerated() {
            insert(&index, id, at: Int64(1000 + n), target: target)
        }
        // Defer the first far into the future, hold the second: the third is next.
        index.apply(StateRecord(kind: .deferred, messageID: ids[0], target: "a", atMilliseconds: 2000, dueMilliseconds: 9000))
        index.apply(StateRecord(kind: .held, messageID: ids[1], target: "a", atMilliseconds: 2000))
        #expect(claim(&index, target, now: 5000) == ids[2])
        #expect(index.nextDue(target: target) == 1003)
        _ = index.claim(target: target, now: 5000)
        _ = index.claim(target: target, now: 5000)
        #expect(claim(&index, target, now: 5000) == nil, "the deferred job is not due yet")
        #expect(index.nextDue(target: target) == 9000)
        // Released: back in the queue with its old due time, ahead of the deferred one.
        index.apply(StateRecord(kind: .released, messageID: ids[1], target: "a", atMilliseconds: 6000, state: .queued))
        #expect(claim(&index, target, now: 6000) == ids[1])
        #expect(claim(&index, target, now: 9000) == ids[0])
        #expect(index.count(target: target, state: .delivering) == 5)
        #expect(claim(&index, target, now: .max) == nil)
    }

    @Test func staleHeapEntriesAreCompacted() {
        var index = SpoolIndex()
        let generator = MessageID.Generator()
        let target = index.target("a")
        let id = generator.next()
        insert(&index, id, at: 0, target: target)
        for round in 0..<5000 {
            index.apply(StateRecord(kind: .held, messageID: id, target: "a", atMilliseconds: Int64(round)))
            index.apply(StateRecord(kind: .released, messageID: id, target: "a", atMilliseconds: Int64(round), state: .queued))
        }
        #expect(index.heaps[Int(target)].count <= 1024 + 3)
        #expect(claim(&index, target, now: 0) == id)
        #expect(claim(&index, target, now: .max) == nil)
    }

    @Test func messageTableFindsEveryIDAndRefusesDuplicates() {
        var table = MessageTable()
        let generator = MessageID.Generator()
        let ids = (0..<50_000).map { _ in generator.next() }
        var inserted = 0
        for (slot, id) in ids.enumerated() {
            // As the writer does: the start buckets of the next group read before its inserts.
            if slot % 16 == 0 { table.warm(ids[slot..<min(slot + 16, ids.count)]) }
            if table.insert(id, slot: UInt32(slot)) { inserted += 1 }
        }
        #expect(inserted == ids.count)
        let duplicate = table.insert(ids[123], slot: 9)
        #expect(!duplicate)
        #expect(table.count == ids.count)
        for (slot, id) in ids.enumerated() where table[id] != UInt32(slot) {
            Issue.record("slot of \(id) wrong")
        }
        #expect(table[generator.next()] == nil)
    }
}
