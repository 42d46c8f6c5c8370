import Foundation
import Synchronization
import Testing

@testable import AmtsboteSpool

/// A roll (sealing the active segment, which a purge asks for) that fails after its batch was
/// flushed must not turn the batch's durable records into errors: the portal would send those
/// messages again, and they would exist twice.
@Suite(.timeLimit(.minutes(1))) struct RollFailureTests {
    @Test func aFailedRollAfterADurableBatchStillAcknowledgesItsRecords() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory, configuration: SpoolConfiguration(preparedSegments: 0))
            let first = try await spool.accept(sampleMessage("<antrag>erste</antrag>"))
            // The next segment's name is taken (by a directory), so rolling into it fails.
            let next = directory.appendingPathComponent("segments").appendingPathComponent(SegmentName.file(2))
            try FileManager.default.createDirectory(at: next, withIntermediateDirectories: false)

            // One batch with a message record and a roll, as when a purge's roll meets accepts.
            let message = sampleMessage("<antrag>zweite</antrag>")
            let id = spool.ids.next()
            let receivedAt = Milliseconds.from(Date())
            let pending = PendingMessage(id: id, receivedAt: receivedAt, clientID: message.clientID, targets: message.targets, keyHash: 0)
            let outcomes = Mutex<[String: Bool]>([:])
            let record = CommitQueue.Entry(
                work: .record(MessageRecord.encode(message, id: id, receivedAtMilliseconds: receivedAt)),
                message: pending,
                audit: nil
            ) { result in outcomes.withLock { $0["record"] = (try? result.get()) != nil } }
            let roll = CommitQueue.Entry(work: .roll, message: nil, audit: nil) { result in
                outcomes.withLock { $0["roll"] = (try? result.get()) != nil }
            }
            try #require(spool.commits.tryLead())
            let failure = spool.process([record, roll])
            spool.commits.endLead()

            #expect(failure == nil)
            #expect(outcomes.withLock { $0 } == ["record": true, "roll": false])
            #expect(try spool.payload(id).payload == Data("<antrag>zweite</antrag>".utf8))
            // The spool goes on in the same segment.
            let third = try await spool.accept(sampleMessage("<antrag>dritte</antrag>"))
            #expect(spool.stats().segments == 1)
            try await spool.close()

            try FileManager.default.removeItem(at: next)
            let reopened = try Spool.open(directory: directory, configuration: SpoolConfiguration(preparedSegments: 0))
            #expect(reopened.stats().messages == 3)
            for (receiptID, text) in [(first.id, "erste"), (id, "zweite"), (third.id, "dritte")] {
                #expect(try reopened.payload(receiptID).payload == Data("<antrag>\(text)</antrag>".utf8))
            }
            try await reopened.close()
        }
    }
}
