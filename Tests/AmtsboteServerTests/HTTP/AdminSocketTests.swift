import AmtsboteSpool
import Foundation
import Testing

@testable import AmtsboteServer

#if canImport(Glibc)
import Glibc
#endif

@Suite("Admin socket", .timeLimit(.minutes(1)))
struct AdminSocketTests {
    @Test("operator commands act on the running server at once; the socket is 0600 and absent from the portal listener")
    func operatorOperations() async throws {
        try await TestServer.with(configure: { configuration, _ in configuration.targets = [:] }) { server in
            var info = stat()
            #expect(lstat(server.adminSocket, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
            #expect((info.st_mode & S_IFMT) == S_IFSOCK)
            #expect(try await server.request(.GET, "/v1/admin/summary").status == 404)

            let remote = try #require(RemoteQueueControl.ifServing(socketPath: server.adminSocket))
            let changes = try await remote.changes()
            let answer = try await server.submit(try RepositoryPaths.fixture("gewerbeanmeldung.json"), contentType: "application/json")
            let text = try #require(answer.json["id"] as? String)
            let id = try #require(MessageID(text))

            var iterator = changes.makeAsyncIterator()
            let created = await iterator.next()
            #expect(created?.messageID == id)
            #expect(created?.oldState == nil)
            #expect(created?.newState == .queued)

            // No target configured: the job waits; hold, release, retry, delete act at once.
            #expect(try await remote.hold(.ids([id])) == 1)
            #expect(try server.runtime.spool.message(id)?.jobs.first?.state == .held)
            #expect(await iterator.next()?.newState == .held)
            #expect(try await remote.release(.matching(target: "gewerbeamt")) == 1)
            #expect(try server.runtime.spool.message(id)?.jobs.first?.state == .queued)
            let summary = try await remote.summary(now: Date())
            #expect(summary == server.runtime.spool.summary(now: summary.now))
            #expect(try await remote.jobs(target: "gewerbeamt", state: .queued) == server.runtime.spool.jobs(target: "gewerbeamt", state: .queued))
            #expect(try await remote.message(MessageID(high: 1, low: 1)) == nil)
            await #expect(throws: SpoolError.self) { try await remote.payload(MessageID(high: 1, low: 1)) }
            #expect(try await remote.delete(.ids([id])) == 1)
            #expect(try server.runtime.spool.message(id)?.jobs.isEmpty ?? true)
            let report = try await remote.purge(olderThan: .seconds(3600), dryRun: true)
            #expect(report.dryRun)
        }
    }
}
