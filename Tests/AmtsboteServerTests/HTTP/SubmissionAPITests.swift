import AmtsboteSpool
import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

@testable import AmtsboteServer

@Suite("Ingest API over real HTTP", .timeLimit(.minutes(2)))
struct SubmissionAPITests {
    private func expectProblem(_ answer: TestServer.Answer, status: Int, type: ProblemType, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(answer.headers.first(name: "Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
        #expect(answer.json["type"] as? String == type.uri, sourceLocation: sourceLocation)
        #expect(answer.json["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(answer.json["title"] as? String == type.title, sourceLocation: sourceLocation)
    }

    @Test("JSON and XML samples get 202 with a receipt and Location, only after they are in the spool")
    func acceptsSamples() async throws {
        try await TestServer.with { server in
            for (name, contentType, target) in [
                ("gewerbeanmeldung.json", "application/json", "gewerbeamt"),
                ("hundesteuer-anmeldung.xml", "application/xml", "hundesteuer"),
                ("schwerbehindertenantrag.xml", "text/xml; charset=utf-8", "versorgungsamt"),
                ("sperrmuell-termin.json", "application/json", "abfallwirtschaft"),
            ] {
                let body = try RepositoryPaths.fixture(name)
                let answer = try await server.submit(body, contentType: contentType)
                #expect(answer.status == 202, "\(name): \(answer.text)")
                let id = try #require(answer.json["id"] as? String)
                #expect(answer.json["targets"] as? [String] == [target])
                #expect(answer.json["status"] as? String == "accepted")
                #expect((answer.json["receivedAt"] as? String)?.hasSuffix("Z") == true)
                #expect(answer.headers.first(name: "Location") == "/v1/submissions/\(id)")
                let messageID = try #require(MessageID(id))
                let stored = try #require(try server.runtime.spool.message(messageID))
                #expect(stored.clientID == "portal-a")
                #expect(try server.runtime.spool.payload(stored.id).payload == body)
            }
        }
    }

    @Test("every refusal is a problem document with a stable type, and nothing is spooled")
    func refusals() async throws {
        try await TestServer.with(configure: { configuration, _ in configuration.limits.maxBodyBytes = 64 * 1024 }) { server in
            let sample = try RepositoryPaths.fixture("gewerbeanmeldung.json")
            // 400 malformed JSON and XML, with line and column.
            let badJSON = try await server.submit(Data("{\n  \"a\": [1,\n  2 3]\n}".utf8), contentType: "application/json")
            self.expectProblem(badJSON, status: 400, type: .malformedDocument)
            #expect(badJSON.json["line"] as? Int == 3)
            #expect(badJSON.json["column"] as? Int == 5)
            let badXML = try await server.submit(Data("<a>\n<b></a>".utf8), contentType: "application/xml")
            self.expectProblem(badXML, status: 400, type: .malformedDocument)
            #expect(badXML.json["line"] as? Int == 2)
            #expect(badXML.json["column"] != nil)
            // 400 broken multipart, invalid Idempotency-Key.
            self.expectProblem(try await server.submit(Data("nothing".utf8), contentType: "multipart/form-data; boundary=xyz"), status: 400, type: .malformedMultipart)
            self.expectProblem(try await server.submit(sample, contentType: "multipart/form-data"), status: 400, type: .malformedMultipart)
            self.expectProblem(
                try await server.submit(sample, contentType: "application/json", headers: [("Idempotency-Key", String(repeating: "k", count: 300))]),
                status: 400,
                type: .invalidRequest
            )
            // 401 without or with an unknown token; 403 without the submit scope.
            let anonymous = try await server.submit(sample, contentType: "application/json", token: nil)
            self.expectProblem(anonymous, status: 401, type: .unauthorized)
            #expect(anonymous.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            self.expectProblem(try await server.submit(sample, contentType: "application/json", token: "wrong"), status: 401, type: .unauthorized)
            self.expectProblem(try await server.submit(sample, contentType: "application/json", token: TestServer.tokenStatusOnly), status: 403, type: .forbidden)
            // 404 for unknown paths and unknown ids.
            self.expectProblem(try await server.request(.GET, "/v1/nothing"), status: 404, type: .notFound)
            self.expectProblem(try await server.request(.GET, "/v1/submissions/01M8C0MXDVXWYZ53HWJB2KAVFV"), status: 404, type: .notFound)
            self.expectProblem(try await server.request(.GET, "/v1/submissions/not-an-id"), status: 404, type: .notFound)
            // 413 by Content-Length and by a streamed body without one.
            let large = Data(repeating: UInt8(ascii: " "), count: 70 * 1024)
            let tooLarge = try await server.submit(large, contentType: "application/json")
            self.expectProblem(tooLarge, status: 413, type: .payloadTooLarge)
            #expect(tooLarge.json["maxBytes"] as? Int == 64 * 1024)
            self.expectProblem(try await self.streamed(server, large), status: 413, type: .payloadTooLarge)
            // 415 for other media types, also for the multipart submission part.
            self.expectProblem(try await server.submit(sample, contentType: "text/plain"), status: 415, type: .unsupportedMediaType)
            self.expectProblem(try await server.submit(sample, contentType: ""), status: 415, type: .unsupportedMediaType)
            let textPart = MultipartBody(parts: [.init(name: "submission", contentType: "text/plain", data: sample)])
            self.expectProblem(try await server.submit(textPart.data, contentType: textPart.contentType), status: 415, type: .unsupportedMediaType)
            // 422 when no mapping takes it.
            self.expectProblem(try await server.submit(Data("{\"x\": 1}".utf8), contentType: "application/json"), status: 422, type: .noMatchingTarget)
            #expect(server.runtime.spool.stats().messages == 0)
            // 409 is in the idempotency test; now 503 while shutting down, with Retry-After.
            server.runtime.lifecycle.beginShutdown()
            let draining = try await server.submit(sample, contentType: "application/json")
            self.expectProblem(draining, status: 503, type: .shuttingDown)
            #expect(draining.headers.first(name: "Retry-After") != nil)
            #expect(server.runtime.spool.stats().messages == 0)
            let metrics = try await server.request(.GET, "/metrics", token: nil).text
            #expect(metrics.contains("amtsbote_submissions_rejected_total{reason=\"malformed-document\"} 2"))
            #expect(metrics.contains("amtsbote_submissions_rejected_total{reason=\"no-matching-target\"} 1"))
        }
    }

    @Test("422 match-regex-limit when a match regex backtracks catastrophically: quick, clear, nothing spooled")
    func matchRegexLimit() async throws {
        // Polynomial of degree 6: unbounded it ran for over 45 s on 300 a's.
        let pattern = "a*a*a*a*a*a*b"
        let value = String(repeating: "a", count: 300)
        try await TestServer.with(configure: { _, directory in
            let mapping = "match: { format: json, where: { path: name, matches: \"\(pattern)\" } }\noutput: { format: json }\nfields:\n  - { name: n, path: name }\n"
            try Data(mapping.utf8).write(to: directory.appendingPathComponent("mappings/redos.yaml"))
        }) { server in
            let start = ContinuousClock.now
            let answer = try await server.submit(Data("{\"name\": \"\(value)\"}".utf8), contentType: "application/json")
            // The limit is 100 ms of CPU time; under the parallel test load that can take seconds.
            #expect(ContinuousClock.now - start < .seconds(10))
            self.expectProblem(answer, status: 422, type: .matchRegexLimit)
            let detail = try #require(answer.json["detail"] as? String)
            #expect(detail.contains("'redos'"))
            #expect(detail.contains(pattern))
            #expect(!detail.contains(value))
            #expect(server.runtime.spool.stats().messages == 0)
            // A value the pattern handles quickly is routed as usual.
            let fine = try await server.submit(Data("{\"name\": \"aaab\"}".utf8), contentType: "application/json")
            #expect(fine.status == 202, "\(fine.text)")
            #expect(fine.json["targets"] as? [String] == ["redos"])
        }
    }

    @Test("503 with Retry-After while free disk space is below the floor; /readyz says why")
    func diskFloor() async throws {
        try await TestServer.with(configure: { configuration, _ in
            configuration.disk = DiskConfiguration(minimumFreeBytes: Int.max, retryAfter: .seconds(42))
        }) { server in
            let answer = try await server.submit(try RepositoryPaths.fixture("gewerbeanmeldung.json"), contentType: "application/json")
            self.expectProblem(answer, status: 503, type: .insufficientStorage)
            #expect(answer.headers.first(name: "Retry-After") == "42")
            #expect(server.runtime.spool.stats().messages == 0)
            let ready = try await server.request(.GET, "/readyz", token: nil)
            #expect(ready.status == 503)
            #expect((ready.json["checks"] as? [String: String])?["disk"] == "free disk space below the floor")
        }
    }

    @Test("healthz, readyz, metrics and the OpenAPI document need no token")
    func operationalEndpoints() async throws {
        try await TestServer.with { server in
            #expect(try await server.request(.GET, "/healthz", token: nil).text == "ok\n")
            let ready = try await server.request(.GET, "/readyz", token: nil)
            #expect(ready.status == 200)
            #expect(ready.json["ready"] as? Bool == true)
            let openAPI = try await server.request(.GET, "/v1/openapi.yaml", token: nil)
            #expect(openAPI.status == 200)
            #expect(openAPI.body == (try Data(contentsOf: RepositoryPaths.root.appendingPathComponent("docs/openapi.yaml"))))
            _ = try await server.submit(try RepositoryPaths.fixture("sperrmuell-termin.json"), contentType: "application/json")
            let metrics = try await server.request(.GET, "/metrics", token: nil).text
            for series in [
                "amtsbote_submissions_accepted_total 1", "amtsbote_accept_duration_seconds_count 1", "amtsbote_spool_messages 1.0",
                "amtsbote_spool_bytes ", "amtsbote_disk_free_bytes ", "amtsbote_jobs{target=\"abfallwirtschaft\",state=",
            ] {
                #expect(metrics.contains(series), "missing \(series)")
            }
        }
    }

    @Test("The request log line counts the bytes of a chunked upload (no Content-Length)")
    func logsBytesOfChunkedUploads() async throws {
        try await TestServer.with { server in
            let sample = try RepositoryPaths.fixture("sperrmuell-termin.json")
            let answer = try await self.streamed(server, sample)
            #expect(answer.status == 202)
            let log = try String(contentsOf: server.directory.appendingPathComponent("server.log"), encoding: .utf8)
            let served = log.split(separator: "\n").filter { $0.contains("\"Request served\"") && $0.contains("\"status\":\"202\"") }
            #expect(served.count == 1)
            #expect(served.first?.contains("\"request.bytes\":\"\(sample.count)\"") == true, "\(served)")
        }
    }

    /// POSTs `body` with chunked transfer encoding (no Content-Length).
    private func streamed(_ server: TestServer, _ body: Data) async throws -> TestServer.Answer {
        var request = HTTPClientRequest(url: server.baseURL + "/v1/submissions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(TestServer.tokenA)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let chunks = stride(from: 0, to: body.count, by: 8192).map { ByteBuffer(bytes: body[$0..<min($0 + 8192, body.count)]) }
        request.body = .stream(chunks.async, length: .unknown)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        return TestServer.Answer(status: Int(response.status.code), headers: response.headers, body: Data(data.readableBytesView))
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence (for streamed request bodies).
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
