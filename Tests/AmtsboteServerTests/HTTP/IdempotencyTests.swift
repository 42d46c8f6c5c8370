import AmtsboteSpool
import Foundation
import Testing

@testable import AmtsboteServer

@Suite("Idempotency-Key", .timeLimit(.minutes(1)))
struct IdempotencyTests {
    @Test("same key and body: the same receipt again; other body: 409; keys are per client")
    func sameAndDifferentBody() async throws {
        try await TestServer.with { server in
            let body = try RepositoryPaths.fixture("gewerbeanmeldung.json")
            let key = [("Idempotency-Key", "portal-order-4711")]
            let first = try await server.submit(body, contentType: "application/json", headers: key)
            #expect(first.status == 202)
            #expect(first.headers.first(name: "Idempotent-Replayed") == nil)
            let again = try await server.submit(body, contentType: "application/json", headers: key)
            #expect(again.status == 202)
            #expect(again.body == first.body)
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(again.headers.first(name: "Location") == first.headers.first(name: "Location"))

            var changed = body
            changed.append(Data(" ".utf8))
            let conflict = try await server.submit(changed, contentType: "application/json", headers: key)
            #expect(conflict.status == 409)
            #expect(conflict.json["type"] as? String == ProblemType.idempotencyConflict.uri)

            // Another client may use the same key for its own submission.
            let other = try await server.submit(body, contentType: "application/json", token: TestServer.tokenB, headers: key)
            #expect(other.status == 202)
            #expect(other.json["id"] as? String != first.json["id"] as? String)
            #expect(server.runtime.spool.stats().messages == 2)
        }
    }

    @Test("a multipart retry with a new boundary is the same body")
    func multipartBoundaryDoesNotMatter() async throws {
        try await TestServer.with { server in
            let parts: [MultipartBody.Part] = [
                .init(name: "submission", contentType: "application/xml", data: try RepositoryPaths.fixture("hundesteuer-anmeldung.xml")),
                .init(name: "impfpass", filename: "impfpass.pdf", contentType: "application/pdf", data: Data((0..<3000).map { UInt8($0 % 251) })),
            ]
            let key = [("Idempotency-Key", "retry-1")]
            let first = MultipartBody(parts: parts)
            let second = MultipartBody(parts: parts)
            #expect(first.boundary != second.boundary)
            let a = try await server.submit(first.data, contentType: first.contentType, headers: key)
            let b = try await server.submit(second.data, contentType: second.contentType, headers: key)
            #expect(a.status == 202)
            #expect(b.status == 202)
            #expect(a.json["id"] as? String == b.json["id"] as? String)
        }
    }

    @Test("concurrent requests with one key store one message")
    func concurrentSameKey() async throws {
        try await TestServer.with { server in
            let body = try RepositoryPaths.fixture("sperrmuell-termin.json")
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        let answer = try await server.submit(body, contentType: "application/json", headers: [("Idempotency-Key", "burst")])
                        return answer.status == 202 ? answer.json["id"] as? String : nil
                    }
                }
                var ids: [String?] = []
                for try await id in group { ids.append(id) }
                return ids
            }
            #expect(ids.count == 16)
            #expect(Set(ids.compactMap { $0 }).count == 1)
            #expect(ids.allSatisfy { $0 != nil })
            #expect(server.runtime.spool.stats().messages == 1)
        }
    }
}
