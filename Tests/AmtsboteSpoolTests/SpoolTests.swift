import Foundation
import Testing

@testable import AmtsboteSpool

@Suite(.timeLimit(.minutes(2))) struct SpoolTests {
    @Test func acceptedMessagesSurviveReopen() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            var receipts: [Receipt] = []
            for index in 0..<20 {
                receipts.append(try await spool.accept(sampleMessage("<n>\(index)</n>", targets: ["a", "b"])))
            }
            try await spool.close()

            let reopened = try Spool.open(directory: directory)
            for (index, receipt) in receipts.enumerated() {
                let payload = try reopened.payload(receipt.id)
                #expect(payload.payload == Data("<n>\(index)</n>".utf8))
                let snapshot = try #require(try reopened.message(receipt.id))
                #expect(snapshot.targets == ["a", "b"])
                #expect(snapshot.jobs.map(\.state) == [.queued, .queued])
                #expect(snapshot.receivedAt == receipt.receivedAt)
            }
            #expect(reopened.stats().messages == 20)
            try await reopened.close()
        }
    }

    @Test func concurrentAcceptsAreAllDurable() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let ids = try await withThrowingTaskGroup(of: MessageID.self) { group in
                for index in 0..<500 {
                    group.addTask { try await spool.accept(sampleMessage("m\(index)")).id }
                }
                return try await group.reduce(into: [MessageID]()) { $0.append($1) }
            }
            try await spool.close()
            let reopened = try Spool.open(directory: directory)
            #expect(reopened.stats().messages == 500)
            #expect(Set(ids).count == 500)
            for id in ids { #expect(try reopened.message(id) != nil) }
            try await reopened.close()
        }
    }

    @Test func secondOpenIsRefusedWithPID() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let error = #expect(throws: SpoolError.self) { try Spool.open(directory: directory) }
            #expect(error?.code == .locked)
            #expect(error?.pid == getpid())
            try await spool.close()
            let again = try Spool.open(directory: directory)
            try await again.close()
        }
    }

    @Test func rejectsBadMessages() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory, configuration: SpoolConfiguration(maxMessageBytes: 10))
            await #expect(throws: SpoolError.self) { try await spool.accept(sampleMessage("this is too long")) }
            await #expect(throws: SpoolError.self) { try await spool.accept(sampleMessage("x", targets: [])) }
            await #expect(throws: SpoolError.self) { try await spool.accept(sampleMessage("x", targets: ["a", "a"])) }
            await #expect(throws: SpoolError.self) { try await spool.accept(sampleMessage("x", targets: ["a b"])) }
            #expect(spool.stats().messages == 0)
            try await spool.close()
            await #expect(throws: SpoolError.self) { try await spool.accept(sampleMessage("x")) }
        }
    }

    @Test func claimFinishAndRecovery() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let first = try await spool.accept(sampleMessage("1", targets: ["a"]))
            let second = try await spool.accept(sampleMessage("2", targets: ["a"]))
            #expect(spool.targetsWithWork() == ["a"])
            let job = try #require(spool.claimNextDue(target: "a"))
            #expect(job.messageID == first.id)
            #expect(job.idempotencyKey == "\(first.id)/a")
            let later = Date().addingTimeInterval(3600)
            try await spool.finish(
                job,
                attempt: Attempt(at: Date(), outcome: .transientFailure, status: 503, error: "HTTP 503", nextAttemptAt: later),
                result: .deferred(until: later)
            )
            let secondJob = try #require(spool.claimNextDue(target: "a"))
            #expect(secondJob.messageID == second.id)
            #expect(spool.claimNextDue(target: "a") == nil)
            #expect(spool.nextDueDate(target: "a").map { abs($0.timeIntervalSince(later)) < 0.01 } == true)
            // The second job stays `delivering` when the process stops: it comes back queued.
            try await spool.close()

            let reopened = try Spool.open(directory: directory)
            let states = reopened.jobs(target: "a", state: nil).map { ($0.messageID, $0.state) }
            #expect(states.map(\.0) == [first.id, second.id])
            #expect(states.map(\.1) == [.deferred, .queued])
            let deferred = try #require(try reopened.message(first.id)?.jobs.first)
            #expect(deferred.attempts.count == 1)
            #expect(deferred.lastError == "HTTP 503")
            #expect(deferred.attempts.first?.status == 503)
            let again = try #require(reopened.claimNextDue(target: "a"))
            #expect(again.messageID == second.id)
            try await reopened.finish(again, attempt: Attempt(at: Date(), outcome: .delivered, status: 200), result: .delivered)
            #expect(reopened.jobs(target: "a", state: .delivered).count == 1)
            // A due deferred job is claimable once its time has come.
            let due = try #require(reopened.claimNextDue(target: "a", now: later.addingTimeInterval(1)))
            #expect(due.messageID == first.id)
            #expect(due.previousAttempts == 1)
            try await reopened.close()
            let audit = try String(contentsOf: directory.appendingPathComponent("audit.log"), encoding: .utf8)
            #expect(audit.contains("id=\(second.id) target=a outcome=delivered"))
        }
    }

    @Test func operatorCommandsChangeStateDurably() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let one = try await spool.accept(sampleMessage("1", targets: ["a", "b"]))
            let two = try await spool.accept(sampleMessage("2", targets: ["a"]))
            #expect(try await spool.hold(.matching(target: "a")) == 2)
            #expect(spool.claimNextDue(target: "a") == nil)
            #expect(try await spool.hold(.matching(target: "a")) == 0)
            #expect(try await spool.release(.ids([one.id], target: "a")) == 1)
            #expect(try await spool.delete(.ids([two.id])) == 1)
            #expect(spool.summary().rows.map { "\($0.target) \($0.state) \($0.count)" } == ["a queued 1", "b queued 1"])
            let job = try #require(spool.claimNextDue(target: "b"))
            try await spool.finish(job, attempt: Attempt(at: Date(), outcome: .permanentFailure, status: 400), result: .dead)
            #expect(try await spool.retry(.matching(state: .dead)) == 1)
            await #expect(throws: SpoolError.self) { try await spool.hold(.ids([MessageID.Generator().next()])) }
            try await spool.close()

            let reopened = try Spool.open(directory: directory)
            #expect(reopened.summary().rows.map { "\($0.target) \($0.state) \($0.count)" } == ["a queued 1", "b queued 1"])
            #expect(try reopened.message(two.id)?.jobs.isEmpty == true)
            try await reopened.close()
        }
    }

    @Test func changesStreamReportsEveryTransition() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let stream = spool.changes()
            let receipt = try await spool.accept(sampleMessage(targets: ["a"]))
            _ = try await spool.hold(.all)
            _ = try await spool.release(.all)
            try await spool.close()
            var seen: [String] = []
            for await change in stream {
                #expect(change.messageID == receipt.id)
                seen.append("\(change.oldState?.description ?? "-")>\(change.newState?.description ?? "-")")
            }
            #expect(seen == ["->queued", "queued>held", "held>queued"])
        }
    }

    @Test func idempotencyKeysAreComparedAsBytes() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let composed = "Gr\u{00FC}n"
            let decomposed = "Gru\u{0308}n"
            let receipt = try await spool.accept(sampleMessage(key: composed))
            #expect(try spool.lookupIdempotencyKey(clientID: "portal", key: composed)?.id == receipt.id)
            #expect(try spool.lookupIdempotencyKey(clientID: "portal", key: composed)?.contentDigest == "digest-\(composed)")
            #expect(try spool.lookupIdempotencyKey(clientID: "portal", key: decomposed) == nil)
            #expect(try spool.lookupIdempotencyKey(clientID: "other", key: composed) == nil)
            try await spool.close()
            let reopened = try Spool.open(directory: directory)
            #expect(try reopened.lookupIdempotencyKey(clientID: "portal", key: composed)?.id == receipt.id)
            try await reopened.close()
        }
    }

    @Test func segmentsRollAndStayReadable() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: 4096)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            var ids: [MessageID] = []
            for index in 0..<50 {
                ids.append(try await spool.accept(sampleMessage(String(repeating: "x", count: 300) + "\(index)")).id)
            }
            #expect(spool.stats().segments > 3)
            try await spool.close()
            let reopened = try Spool.open(directory: directory, configuration: configuration)
            for (index, id) in ids.enumerated() {
                #expect(try reopened.payload(id).payload == Data((String(repeating: "x", count: 300) + "\(index)").utf8))
            }
            try await reopened.close()
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct IdempotencyRaceTests {
    /// Many requests with one key racing into `accept`: exactly one message is stored.
    @Test func concurrentAcceptsWithOneKeyStoreOnce() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let outcomes = await withTaskGroup(of: Result<MessageID, SpoolError>.self) { group in
                for _ in 0..<32 {
                    group.addTask {
                        do { return .success(try await spool.accept(sampleMessage(key: "same")).id) }
                        catch let error as SpoolError { return .failure(error) }
                        catch { return .failure(SpoolError(.writeFailed, "\(error)")) }
                    }
                }
                return await group.reduce(into: [Result<MessageID, SpoolError>]()) { $0.append($1) }
            }
            let stored = outcomes.compactMap { try? $0.get() }
            #expect(stored.count == 1)
            for case .failure(let error) in outcomes { #expect(error.code == .duplicateKey) }
            #expect(spool.stats().messages == 1)

            let again = await #expect(throws: SpoolError.self) { try await spool.accept(sampleMessage(key: "same")) }
            #expect(again?.code == .duplicateKey)
            #expect(again?.existingID == stored.first)
            // Other client, or other bytes (decomposed umlaut), is another key.
            var other = sampleMessage(key: "same")
            other.clientID = "portal-2"
            _ = try await spool.accept(other)
            _ = try await spool.accept(sampleMessage(key: "Gr\u{00FC}n"))
            _ = try await spool.accept(sampleMessage(key: "Gru\u{0308}n"))
            #expect(spool.stats().messages == 4)
            try await spool.close()
        }
    }
}
