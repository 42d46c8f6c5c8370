import Foundation
import Testing

@testable import AmtsboteSpool

@Suite(.timeLimit(.minutes(2))) struct PurgeTests {
    /// Every file under `directory`, recursively, read whole.
    private func allFiles(_ directory: URL) throws -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var result: [(String, Data)] = []
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            result.append((url.path, try Data(contentsOf: url)))
        }
        return result
    }

    /// Copies of unreadable bytes may hold citizens' data: past the retention they go too, with
    /// a content-free audit line; younger ones stay, and a dry run only counts.
    @Test func corruptCopiesPastRetentionArePurged() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let corrupt = directory.appendingPathComponent("corrupt")
            let old = corrupt.appendingPathComponent("000000000001-4096.bin")
            let young = corrupt.appendingPathComponent("000000000002-0.bin")
            try Data("Geheimnis-alt".utf8).write(to: old)
            try Data("Geheimnis-jung".utf8).write(to: young)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-40 * 86_400)], ofItemAtPath: old.path)

            let dry = try await spool.purge(olderThan: .seconds(30 * 86_400), dryRun: true)
            #expect(dry.corruptCopiesRemoved == 1)
            #expect(FileManager.default.fileExists(atPath: old.path))

            let report = try await spool.purge(olderThan: .seconds(30 * 86_400), dryRun: false)
            #expect(report.corruptCopiesRemoved == 1)
            #expect(!FileManager.default.fileExists(atPath: old.path))
            #expect(FileManager.default.fileExists(atPath: young.path))
            try await spool.close()
            let audit = try String(contentsOf: directory.appendingPathComponent("audit.log"), encoding: .utf8)
            #expect(audit.contains("corrupt=000000000001-4096.bin outcome=purged"))
            #expect(!audit.contains("Geheimnis"))
        }
    }

    @Test func purgedPayloadsLeaveEveryFile() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: 2048)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            var delivered: [(MessageID, String)] = []
            for index in 0..<30 {
                let secret = "Geheimnis-\(index)-\(UUID().uuidString)"
                let receipt = try await spool.accept(sampleMessage("<name>\(secret)</name>", targets: ["a"], key: "key-\(index)"))
                delivered.append((receipt.id, secret))
            }
            try await deliverAll(spool, target: "a")
            let keptSecret = "Bleibt-\(UUID().uuidString)"
            let kept = try await spool.accept(sampleMessage("<name>\(keptSecret)</name>", targets: ["b"]))

            let dry = try await spool.purge(olderThan: .zero, dryRun: true)
            #expect(dry.messages == 30)
            #expect(dry.dryRun)
            #expect(try spool.message(delivered[0].0) != nil)

            let report = try await spool.purge(olderThan: .zero, dryRun: false)
            #expect(report.messages == 30)
            #expect(report.jobs == 30)
            #expect(try spool.message(delivered[0].0) == nil)
            #expect(try spool.lookupIdempotencyKey(clientID: "portal", key: "key-0") == nil)
            #expect(try spool.payload(kept.id).payload == Data("<name>\(keptSecret)</name>".utf8))

            // Still usable after compaction: accept, claim and read.
            let after = try await spool.accept(sampleMessage("after", targets: ["a"]))
            #expect(spool.claimNextDue(target: "a")?.messageID == after.id)
            try await spool.close()

            for (path, data) in try allFiles(directory) {
                for (_, secret) in delivered {
                    #expect(data.range(of: Data(secret.utf8)) == nil, "\(secret) still in \(path)")
                }
            }
            let audit = try String(contentsOf: directory.appendingPathComponent("audit.log"), encoding: .utf8)
            #expect(audit.components(separatedBy: "outcome=purged").count - 1 == 30)
            #expect(!audit.contains("Geheimnis"))

            let reopened = try Spool.open(directory: directory, configuration: configuration)
            #expect(reopened.stats().messages == 2)
            #expect(try reopened.payload(kept.id).payload == Data("<name>\(keptSecret)</name>".utf8))
            #expect(try reopened.message(delivered[0].0) == nil)
            try await reopened.close()
        }
    }

    @Test func unfinishedAndRecentMessagesStay() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let receipt = try await spool.accept(sampleMessage(targets: ["a", "b"]))
            let job = try #require(spool.claimNextDue(target: "a"))
            try await spool.finish(job, attempt: Attempt(at: Date(), outcome: .delivered), result: .delivered)
            // One job still queued: nothing to purge.
            #expect(try await spool.purge(olderThan: .zero, dryRun: false).messages == 0)
            _ = try await spool.delete(.ids([receipt.id], target: "b"))
            // Finished, but not older than a day.
            #expect(try await spool.purge(olderThan: .seconds(86_400), dryRun: false).messages == 0)
            #expect(try await spool.purge(olderThan: .zero, dryRun: false).messages == 1)
            try await spool.close()
        }
    }
}

@Suite(.timeLimit(.minutes(2))) struct PurgeWhileBusyTests {
    /// Purge rewrites segments while accepts and deliveries go on: nothing live is lost and
    /// every offset the index hands out afterwards points at the right record.
    @Test func purgeDuringTraffic() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: 16 * 1024)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            var live: [MessageID: String] = [:]
            for index in 0..<200 {
                let text = "old-\(index)-\(String(repeating: "p", count: 150))"
                let receipt = try await spool.accept(sampleMessage(text, targets: ["a"]))
                if index % 2 == 0 {
                    let job = try #require(spool.claimNextDue(target: "a"))
                    try await spool.finish(job, attempt: Attempt(at: Date(), outcome: .delivered), result: .delivered)
                } else {
                    live[receipt.id] = text
                    _ = try await spool.hold(.ids([receipt.id]))
                }
            }
            let added = try await withThrowingTaskGroup(of: (MessageID, String).self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        let text = "new-\(worker)-\(String(repeating: "q", count: 150))"
                        return (try await spool.accept(sampleMessage(text, targets: ["b"])).id, text)
                    }
                }
                group.addTask {
                    let report = try await spool.purge(olderThan: .zero, dryRun: false)
                    #expect(report.messages == 100)
                    return (MessageID(high: 0, low: 0), "")
                }
                return try await group.reduce(into: [(MessageID, String)]()) { $0.append($1) }
            }
            for (id, text) in added where !text.isEmpty { live[id] = text }
            for (id, text) in live { #expect(try spool.payload(id).payload == Data(text.utf8)) }
            try await spool.close()
            let reopened = try Spool.open(directory: directory, configuration: configuration)
            #expect(reopened.stats().messages == live.count)
            for (id, text) in live { #expect(try reopened.payload(id).payload == Data(text.utf8)) }
            try await reopened.close()
        }
    }
}
