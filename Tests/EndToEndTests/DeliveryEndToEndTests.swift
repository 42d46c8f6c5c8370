import AmtsboteTestSupport
import AsyncHTTPClient
import Foundation
import Testing

/// Delivery with the real binary: `amtsbote serve` in a subprocess, a real HTTP sink on 127.0.0.1,
/// kill -9 and restart, and operator commands against the running server.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DeliveryEndToEndTests {
    static let mapping = """
        target: sink
        match:
          format: json
          where: { path: ref, exists: true }
        output:
          format: json
        fields:
          - name: ref
            path: ref
            required: true
        """

    static func targets(url: URL, timeout: String = "30s", retry: String = "{ initialDelay: 50ms, multiplier: 1, maximumDelay: 50ms, jitter: none }") -> String {
        """
          sink:
            kind: http
            url: \(url.absoluteString)
            timeout: \(timeout)
            retry: \(retry)
            breaker: { failureThreshold: 1000 }
        """
    }

    private func withServe(
        sinkURL: URL,
        retry: String = "{ initialDelay: 50ms, multiplier: 1, maximumDelay: 50ms, jitter: none }",
        _ body: (ServeProcess, HTTPClient) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try ServeProcess(directory: directory, targetsYAML: Self.targets(url: sinkURL, retry: retry), mappings: ["sink.yaml": Self.mapping])
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(serve, client)
        } catch {
            await serve.kill9()
            try? await client.shutdown()
            throw error
        }
        await serve.terminate()
        try await client.shutdown()
    }

    /// Waits (polling the sink) until it has received `count` requests.
    private func waitForRequests(_ sink: HTTPSink, count: Int, within limit: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + limit
        while sink.received.count < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("sink got \(sink.received.count) requests, expected \(count)")
                throw ServeError("timeout")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func aJobInFlightWhenTheServerIsKilledIsDeliveredAfterRestart() async throws {
        // The first request never gets an answer (the server dies meanwhile); later ones succeed.
        try await HTTPSink.with(script: { $0 == 0 ? .hang : .status(200) }) { sink, url in
            try await withServe(sinkURL: url) { serve, client in
                try await serve.start(client: client)
                let id = try await serve.submit(#"{"ref": "KILL-1"}"#, client: client)
                try await waitForRequests(sink, count: 1)
                await serve.kill9()  // in the middle of the delivery: the target has the request, no answer yet

                try await serve.start(client: client)
                try await waitForRequests(sink, count: 2)
                let keys = sink.received.map(\.idempotencyKey)
                #expect(keys == ["\(id)/sink", "\(id)/sink"])  // a duplicate with the same key, no loss
                #expect(sink.received.allSatisfy { String(decoding: $0.body, as: UTF8.self).contains("KILL-1") })
                let deadline = ContinuousClock.now + .seconds(5)
                var state = try await serve.jobState(id, target: "sink", client: client)
                while state != "delivered", ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    state = try await serve.jobState(id, target: "sink", client: client)
                }
                #expect(state == "delivered", "log: \(serve.logTail())")

                // The delivery is counted in the server's metrics, and the breaker is closed.
                let metrics = try await serve.metrics(client: client)
                #expect(metrics.contains(#"amtsbote_deliveries_total{target="sink",outcome="delivered"} 1"#), "\(metrics.prefix(3000))")
                #expect(metrics.contains(#"amtsbote_delivery_breaker_state{target="sink"} 0"#))
                #expect(metrics.contains("amtsbote_delivery_latency_seconds"))
            }
        }
    }

    @Test func queueCommandsActOnTheRunningServerWithinOneSecond() async throws {
        // Every request fails with 503 until the test flips `healthy`; retries are 1 h apart, so
        // only operator commands move the job.
        let healthy = Locked(false)
        try await HTTPSink.with(script: { _ in healthy.value ? .status(200) : .status(503) }) { sink, url in
            try await withServe(sinkURL: url, retry: "{ initialDelay: 1h, jitter: none }") { serve, client in
                try await serve.start(client: client)
                let id = try await serve.submit(#"{"ref": "OPS-1"}"#, client: client)
                try await waitForRequests(sink, count: 1)
                try await expectState(serve, id, "deferred", client: client)

                try await expectWithinOneSecond(serve, ["hold", id], id, "held", client: client)
                try await expectWithinOneSecond(serve, ["release", id], id, "deferred", client: client)

                healthy.value = true
                let started = ContinuousClock.now
                let retry = try await serve.queue(["retry", id])
                #expect(retry.status == 0, "\(retry.stderr)")
                try await waitForRequests(sink, count: 2, within: .seconds(1))
                #expect(ContinuousClock.now - started < .seconds(1))
                try await expectState(serve, id, "delivered", client: client)

                healthy.value = false
                let other = try await serve.submit(#"{"ref": "OPS-2"}"#, client: client)
                try await waitForRequests(sink, count: 3)
                try await expectState(serve, other, "deferred", client: client)
                let deleteStarted = ContinuousClock.now
                let delete = try await serve.queue(["delete", other, "--yes"])
                #expect(delete.status == 0, "\(delete.stderr)")
                var state = try await serve.jobState(other, target: "sink", client: client)
                while state != nil, ContinuousClock.now - deleteStarted < .seconds(1) {
                    try await Task.sleep(for: .milliseconds(20))
                    state = try await serve.jobState(other, target: "sink", client: client)
                }
                #expect(state == nil, "job after delete: \(state ?? "gone")")
                #expect(ContinuousClock.now - deleteStarted < .seconds(1))
            }
        }
    }

    private func expectState(_ serve: ServeProcess, _ id: String, _ wanted: String, client: HTTPClient) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        var state = try await serve.jobState(id, target: "sink", client: client)
        while state != wanted, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            state = try await serve.jobState(id, target: "sink", client: client)
        }
        #expect(state == wanted, "log: \(serve.logTail())")
    }

    /// Runs `queue COMMAND` and expects the job in `wanted` state less than 1 s after it started.
    private func expectWithinOneSecond(
        _ serve: ServeProcess,
        _ command: [String],
        _ id: String,
        _ wanted: String,
        client: HTTPClient
    ) async throws {
        let started = ContinuousClock.now
        let result = try await serve.queue(command)
        #expect(result.status == 0, "queue \(command): \(result.stderr)")
        var state = try await serve.jobState(id, target: "sink", client: client)
        while state != wanted, ContinuousClock.now - started < .seconds(1) {
            try await Task.sleep(for: .milliseconds(20))
            state = try await serve.jobState(id, target: "sink", client: client)
        }
        let elapsed = ContinuousClock.now - started
        #expect(state == wanted, "after queue \(command): \(state ?? "missing")")
        #expect(elapsed < .seconds(1), "queue \(command) took effect after \(elapsed)")
    }
}
