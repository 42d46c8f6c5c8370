import Foundation
import Testing

@testable import AmtsboteServer

@Suite("Status endpoint", .timeLimit(.minutes(1)))
struct StatusEndpointTests {
    @Test("the submitting client sees per-target state; other clients get 404")
    func perClient() async throws {
        try await TestServer.with { server in
            let receipt = try await server.submit(try RepositoryPaths.fixture("hundesteuer-anmeldung.xml"), contentType: "application/xml")
            let location = try #require(receipt.headers.first(name: "Location"))
            // The shipped file target delivers within moments; poll until it did.
            var status = try await server.request(.GET, location)
            for _ in 0..<50 where status.json["status"] as? String != "delivered" {
                try await Task.sleep(for: .milliseconds(100))
                status = try await server.request(.GET, location)
            }
            #expect(status.status == 200)
            #expect(status.json["id"] as? String == receipt.json["id"] as? String)
            #expect(status.json["status"] as? String == "delivered")
            let targets = try #require(status.json["targets"] as? [[String: Any]])
            #expect(targets.count == 1)
            #expect(targets[0]["target"] as? String == "hundesteuer")
            #expect(targets[0]["state"] as? String == "delivered")
            #expect(targets[0]["attempts"] as? Int == 1)
            #expect(targets[0]["deliveredAt"] is String)
            #expect(targets[0]["lastError"] is NSNull)
            // No form content in the status document.
            for value in PersonalData.values { #expect(!status.text.contains(value)) }

            let other = try await server.request(.GET, location, token: TestServer.tokenB)
            #expect(other.status == 404)
            #expect(other.json["type"] as? String == ProblemType.notFound.uri)
            // A client with only the status scope reads its own (none here) but not others'.
            #expect(try await server.request(.GET, location, token: TestServer.tokenStatusOnly).status == 404)
            #expect(try await server.request(.GET, location, token: nil).status == 401)
        }
    }
}
