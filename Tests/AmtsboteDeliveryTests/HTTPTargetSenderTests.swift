import AsyncHTTPClient
import AmtsboteTestSupport
import Foundation
import Testing

@testable import AmtsboteDelivery

@Suite(.timeLimit(.minutes(2))) struct HTTPTargetSenderTests {
    private func item(parts: [OutgoingDocument.Part] = []) -> DeliveryItem {
        DeliveryItem(
            messageID: "01JDZ0000000000000000000AB",
            target: "gewerbeamt",
            formID: "gewerbe-anmeldung",
            receivedAt: Date(),
            document: OutgoingDocument(body: Data("<a>ä</a>".utf8), contentType: "application/xml", fileExtension: "xml", parts: parts)
        )
    }

    private func withClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func sendsDocumentWithIdempotencyKeyHeadersAndBearerAuth() async throws {
        try await HTTPSink.with { sink, url in
            try await withClient { client in
                let configuration = HTTPTargetConfiguration(
                    url: url,
                    method: .PUT,
                    headers: ["X-Mandant": "0815"],
                    auth: .bearer(token: .environment("T")),
                    timeout: 5
                )
                let sender = try HTTPTargetSender(target: "gewerbeamt", configuration: configuration, client: client, environment: ["T": "tok"])
                #expect(await sender.send(item()) == .delivered(status: 200))
            }
            let got = try #require(sink.received.first)
            #expect(sink.received.count == 1)
            #expect(got.method == "PUT")
            #expect(got.idempotencyKey == "01JDZ0000000000000000000AB/gewerbeamt")
            #expect(got.contentType == "application/xml")
            #expect(got.authorization == "Bearer tok")
            #expect(got.mandant == "0815")
            #expect(got.body == Data("<a>ä</a>".utf8))
        }
    }

    @Test func basicAuthIsBase64OfUserAndPassword() async throws {
        try await HTTPSink.with { sink, url in
            try await withClient { client in
                let configuration = HTTPTargetConfiguration(url: url, auth: .basic(username: "amtsbote", password: .environment("P")))
                let sender = try HTTPTargetSender(target: "t", configuration: configuration, client: client, environment: ["P": "geheim"])
                _ = await sender.send(item())
            }
            #expect(sink.received.first?.authorization == "Basic " + Data("amtsbote:geheim".utf8).base64EncodedString())
        }
    }

    @Test func attachmentsGoAsMultipartParts() async throws {
        try await HTTPSink.with { sink, url in
            try await withClient { client in
                let sender = try HTTPTargetSender(target: "t", configuration: HTTPTargetConfiguration(url: url), client: client)
                let part = OutgoingDocument.Part(name: "nachweis", filename: "scan.pdf", contentType: "application/pdf", data: Data("%PDF-1.7".utf8))
                #expect(await sender.send(item(parts: [part])) == .delivered(status: 200))
            }
            let got = try #require(sink.received.first)
            let contentType = try #require(got.contentType)
            #expect(contentType.hasPrefix("multipart/form-data; boundary=amtsbote-"))
            let boundary = String(contentType.split(separator: "=", maxSplits: 1)[1])
            let text = String(decoding: got.body, as: UTF8.self)
            #expect(text.hasPrefix("--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"; filename=\"01JDZ0000000000000000000AB.xml\"\r\nContent-Type: application/xml\r\n\r\n<a>ä</a>\r\n"))
            #expect(text.contains("--\(boundary)\r\nContent-Disposition: form-data; name=\"nachweis\"; filename=\"scan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n"))
            #expect(text.hasSuffix("--\(boundary)--\r\n"))
        }
    }

    @Test func statusesAreClassifiedAndRetryAfterIsPassedOn() async throws {
        let replies: [HTTPSink.Reply] = [.status(400), .status(503, retryAfter: "7"), .status(429), .status(201)]
        try await HTTPSink.with(script: { replies[$0 % replies.count] }) { _, url in
            try await withClient { client in
                let sender = try HTTPTargetSender(target: "t", configuration: HTTPTargetConfiguration(url: url), client: client)
                #expect(await sender.send(item()) == .permanent(status: 400, reason: "HTTP 400 Bad Request"))
                #expect(await sender.send(item()) == .transient(status: 503, reason: "HTTP 503 Service Unavailable", retryAfter: 7))
                #expect(await sender.send(item()) == .transient(status: 429, reason: "HTTP 429 Too Many Requests", retryAfter: nil))
                #expect(await sender.send(item()) == .delivered(status: 201))
            }
        }
    }

    @Test func aTargetThatNeverAnswersTimesOutAsTransient() async throws {
        try await HTTPSink.with(script: { _ in .hang }) { _, url in
            try await withClient { client in
                let sender = try HTTPTargetSender(target: "t", configuration: HTTPTargetConfiguration(url: url, timeout: 0.3), client: client)
                let started = ContinuousClock.now
                let result = await sender.send(item())
                let elapsed = ContinuousClock.now - started
                #expect(result == .transient(status: nil, reason: "timeout after 300ms", retryAfter: nil))
                #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(3))
            }
        }
    }

    @Test func connectionRefusedIsTransient() async throws {
        // Bind and close a port so nothing listens there.
        let port = try await HTTPSink.with { _, url in url.port! }
        try await withClient { client in
            let url = URL(string: "http://127.0.0.1:\(port)/in")!
            let sender = try HTTPTargetSender(target: "t", configuration: HTTPTargetConfiguration(url: url, timeout: 2), client: client)
            let result = await sender.send(item())
            guard case .transient(nil, let reason, nil) = result else {
                Issue.record("expected transient, got \(result)")
                return
            }
            #expect(!reason.isEmpty)
        }
    }

    @Test func missingSecretOrCAFileFailsConstruction() async throws {
        try await withClient { client in
            let url = URL(string: "https://127.0.0.1:1/in")!
            #expect(throws: DeliveryError(.secretUnavailable, "")) {
                try HTTPTargetSender(target: "t", configuration: HTTPTargetConfiguration(url: url, auth: .bearer(token: .environment("NONE"))), client: client, environment: [:])
            }
            #expect(throws: DeliveryError(.tlsUnavailable, "")) {
                try HTTPTargetSender(target: "t", configuration: HTTPTargetConfiguration(url: url, tls: TLSFiles(caFile: "/nonexistent/ca.pem")), client: client)
            }
        }
    }
}
