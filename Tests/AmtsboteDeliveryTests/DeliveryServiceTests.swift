import AmtsboteDelivery
import AmtsboteMapping
import AmtsboteSpool
import AmtsboteTestSupport
import Foundation
import MetricsTestKit
import Testing

/// The delivery engine end to end inside one process: real spool on disk, real mappings, real
/// HTTP sinks on 127.0.0.1 and real files; millisecond retry delays.
@Suite(.timeLimit(.minutes(2))) struct DeliveryServiceTests {
    @Test func aTargetFailingThreeTimesGetsTheJobExactlyOnceAsSuccess() async throws {
        try await HTTPSink.with(script: { $0 < 3 ? .status(503) : .status(200) }) { sink, url in
            try await DeliveryHarness.with(targets: ["alpha": .testHTTP(url)]) { harness in
                let id = try await harness.submit(targets: ["alpha"])
                let job = try await harness.waitFor(id, "alpha", .delivered)
                #expect(job.attempts.map(\.outcome) == [.transientFailure, .transientFailure, .transientFailure, .delivered])
                #expect(job.attempts.prefix(3).allSatisfy { $0.status == 503 && $0.error == "HTTP 503 Service Unavailable" && $0.nextAttemptAt != nil })
                #expect(job.attempts.last?.status == 200)
                // Give a stray extra delivery the chance to show up before counting.
                try await Task.sleep(for: .milliseconds(100))
                let requests = sink.received
                #expect(requests.count == 4)
                #expect(Set(requests.map(\.idempotencyKey)) == ["\(id)/alpha"])
                #expect(requests.allSatisfy { $0.contentType == "application/json" })
                let delivered = try harness.metrics.expectCounter("amtsbote_deliveries_total", [("target", "alpha"), ("outcome", "delivered")])
                let transient = try harness.metrics.expectCounter("amtsbote_deliveries_total", [("target", "alpha"), ("outcome", "transient")])
                #expect(delivered.totalValue == 1 && transient.totalValue == 3)
            }
        }
    }

    @Test func badRequestMakesTheJobDeadAtOnce() async throws {
        try await HTTPSink.with(script: { _ in .status(400) }) { sink, url in
            try await DeliveryHarness.with(targets: ["alpha": .testHTTP(url)]) { harness in
                let id = try await harness.submit(targets: ["alpha"])
                let job = try await harness.waitFor(id, "alpha", .dead)
                #expect(job.attempts.count == 1)
                #expect(job.attempts.first?.outcome == .permanentFailure)
                #expect(job.attempts.first?.status == 400)
                #expect(job.attempts.first?.error == "HTTP 400 Bad Request")
                try await Task.sleep(for: .milliseconds(150))  // 7 retry periods: none may happen
                #expect(sink.received.count == 1)
            }
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        try await HTTPSink.with(script: { $0 == 0 ? .status(503, retryAfter: "1") : .status(200) }) { sink, url in
            try await DeliveryHarness.with(targets: ["alpha": .testHTTP(url)]) { harness in
                let id = try await harness.submit(targets: ["alpha"])
                let job = try await harness.waitFor(id, "alpha", .delivered)
                let requests = sink.received
                try #require(requests.count == 2)
                let gap = requests[1].at.timeIntervalSince(requests[0].at)
                // The policy alone would retry after 20 ms; the target asked for 1 s.
                #expect(gap >= 0.95, "second attempt after \(gap) s")
                #expect(gap < 3)
                let first = try #require(job.attempts.first)
                // Counted from the answer (attempt start + its duration): Retry-After is relative
                // to the response, and a busy machine may take a while to send the request.
                let seconds = Double(first.duration.components.seconds) + Double(first.duration.components.attoseconds) / 1e18
                let planned = try #require(first.nextAttemptAt).timeIntervalSince(first.at.addingTimeInterval(seconds))
                #expect(planned >= 0.95 && planned < 1.5, "next attempt planned \(planned) s after the answer")
            }
        }
    }

    @Test func aDownTargetKeepsItsJobsDeferredBehindAnOpenBreakerWhileAHealthyTargetIsServedOnTime() async throws {
        try await HTTPSink.with(script: { _ in .status(503) }) { down, downURL in
            try await HTTPSink.with { healthy, healthyURL in
                let targets: [String: TargetConfiguration] = [
                    "down": .testHTTP(downURL, breaker: CircuitBreakerConfiguration(failureThreshold: 3, openDuration: 60)),
                    "healthy": .testHTTP(healthyURL),
                ]
                try await DeliveryHarness.with(targets: targets) { harness in
                    var downIDs: [MessageID] = []
                    for index in 0..<10 { downIDs.append(try await harness.submit(#"{"ref": "D-\#(index)"}"#, targets: ["down"])) }
                    // Let the down target fail enough to open its breaker (3 failures), and give any
                    // request already in flight time to arrive.
                    let deadline = ContinuousClock.now + .seconds(10)
                    while down.received.count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                    try await Task.sleep(for: .milliseconds(300))
                    let requestsWhenOpen = down.received.count
                    try await harness.expectPromptDelivery(to: "healthy", count: 20)
                    #expect(healthy.received.count == 20)
                    // The breaker is open: no further requests reach the down target.
                    #expect(down.received.count == requestsWhenOpen)
                    #expect(requestsWhenOpen >= 3 && requestsWhenOpen <= 3 + 3, "requests before opening: \(requestsWhenOpen)")
                    let gauge = try harness.metrics.expectGauge("amtsbote_delivery_breaker_state", [("target", "down")])
                    #expect(gauge.lastValue == 2)
                    for id in downIDs {
                        let job = try #require(try harness.job(id, "down"))
                        #expect(job.state == .deferred || job.state == .queued, "down job is \(job.state)")
                    }
                }
            }
        }
    }

    @Test func aBreakerProbesAfterThePauseAndResumes() async throws {
        // Fails the first 3 requests (opens the breaker), then recovers.
        try await HTTPSink.with(script: { $0 < 3 ? .status(503) : .status(200) }) { sink, url in
            let target = TargetConfiguration.testHTTP(url, concurrency: 1, breaker: CircuitBreakerConfiguration(failureThreshold: 3, openDuration: 0.5))
            try await DeliveryHarness.with(targets: ["alpha": target]) { harness in
                var ids: [MessageID] = []
                for index in 0..<5 { ids.append(try await harness.submit(#"{"ref": "\#(index)"}"#, targets: ["alpha"])) }
                for id in ids { try await harness.waitFor(id, "alpha", .delivered) }
                let times = sink.received.map(\.at)
                try #require(times.count == 8)
                // The probe (4th request) came after the 0.5 s pause, not after the 20 ms retry delay.
                #expect(times[3].timeIntervalSince(times[2]) >= 0.45)
                let gauge = try harness.metrics.expectGauge("amtsbote_delivery_breaker_state", [("target", "alpha")])
                #expect(gauge.lastValue == 0)
            }
        }
    }

    @Test func aHangingTargetDoesNotDelayOthers() async throws {
        try await HTTPSink.with(script: { _ in .hang }) { hanging, hangURL in
            try await HTTPSink.with { _, fastURL in
                let targets: [String: TargetConfiguration] = [
                    "hang": .testHTTP(hangURL, timeout: 5, concurrency: 2),
                    "fast": .testHTTP(fastURL),
                ]
                try await DeliveryHarness.with(targets: targets) { harness in
                    for index in 0..<6 { _ = try await harness.submit(#"{"ref": "X-\#(index)"}"#, targets: ["hang"]) }
                    let deadline = ContinuousClock.now + .seconds(2)
                    while hanging.received.count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
                    #expect(hanging.received.count == 2)  // both workers of `hang` are stuck
                    try await harness.expectPromptDelivery(to: "fast", count: 10)
                }
            }
        }
    }

    @Test func aMappingErrorMakesTheJobDeadAndRetryAfterTheFixDeliversIt() async throws {
        try await withTemporaryDirectory { (out: URL) async throws in
            let target = TargetConfiguration(kind: .file(FileTargetConfiguration(directory: out.path)), retry: RetryPolicy(initialDelay: 0.02, jitter: .none))
            let broken = DeliveryHarness.mapping(target: "akte", required: ["ref", "aktenzeichen"])
            try await DeliveryHarness.with(targets: ["akte": target], mappingFiles: ["akte.yaml": broken]) { harness in
                let id = try await harness.submit(targets: ["akte"])
                let dead = try await harness.waitFor(id, "akte", .dead)
                let attempt = try #require(dead.attempts.last)
                #expect(attempt.outcome == .mappingError)
                #expect(attempt.error?.contains("field 'aktenzeichen'") == true, "reason: \(attempt.error ?? "")")
                #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)

                // The admin fixes the mapping, it is reloaded, and `queue retry` re-maps the job.
                try Data(DeliveryHarness.mapping(target: "akte").utf8).write(to: harness.mappings.directory.appendingPathComponent("akte.yaml"))
                try harness.mappings.reload()
                #expect(try await harness.spool.retry(.ids([id], target: "akte")) == 1)
                let delivered = try await harness.waitFor(id, "akte", .delivered)
                #expect(delivered.attempts.map(\.outcome) == [.mappingError, .delivered])
                let file = out.appendingPathComponent("\(id).json")
                let written = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: String]
                #expect(written == ["ref": "A-1"])
            }
        }
    }

    // A 3 s lifetime (not 1 s) so that a busy CI machine still gets failed attempts in before expiry.
    @Test func aJobPastItsLifetimeIsDead() async throws {
        try await HTTPSink.with(script: { _ in .status(503) }) { _, url in
            try await DeliveryHarness.with(targets: ["alpha": .testHTTP(url, lifetime: 3)]) { harness in
                let id = try await harness.submit(targets: ["alpha"])
                let job = try await harness.waitFor(id, "alpha", .dead, within: .seconds(12))
                #expect(job.attempts.last?.outcome == .expired)
                #expect(job.attempts.last?.error == "lifetime of 3s expired")
                #expect(job.attempts.dropLast().allSatisfy { $0.outcome == .transientFailure })
                #expect(job.attempts.count >= 2)  // retried until the lifetime ran out, then expired
                let deadAfter = try #require(job.attempts.last).at.timeIntervalSince(job.receivedAt)
                #expect(deadAfter >= 3 && deadAfter < 8, "dead after \(deadAfter) s")
            }
        }
    }

    @Test func retryingAnExpiredJobGetsAFreshLifetime() async throws {
        let healthy = Locked(false)
        try await HTTPSink.with(script: { _ in healthy.value ? .status(200) : .status(503) }) { _, url in
            try await DeliveryHarness.with(targets: ["alpha": .testHTTP(url, lifetime: 0.3)]) { harness in
                let id = try await harness.submit(targets: ["alpha"])
                try await harness.waitFor(id, "alpha", .dead, within: .seconds(3))
                // The target is back; the operator retries the expired job: it is sent, not expired again.
                healthy.value = true
                #expect(try await harness.spool.retry(.ids([id], target: "alpha")) == 1)
                let job = try await harness.waitFor(id, "alpha", .delivered)
                #expect(job.attempts.suffix(2).map(\.outcome) == [.expired, .delivered])
            }
        }
    }

    @Test func gracefulShutdownLetsADeliveryInFlightFinish() async throws {
        try await HTTPSink.with(script: { _ in .delayed(.milliseconds(400), status: 200) }) { sink, url in
            let submitted = Locked<MessageID?>(nil)
            let stoppedAt = Locked<Date?>(nil)
            try await DeliveryHarness.with(
                targets: ["alpha": .testHTTP(url)],
                afterShutdown: { harness in
                    stoppedAt.value = Date()
                    // The delivery in flight when shutdown began was finished and recorded.
                    let id = try #require(submitted.value)
                    let job = try #require(try harness.job(id, "alpha"))
                    #expect(job.state == .delivered)
                    #expect(job.attempts.map(\.outcome) == [.delivered])
                }
            ) { harness in
                submitted.value = try await harness.submit(targets: ["alpha"])
                try await harness.waitFor(submitted.value!, "alpha", .delivering)
                // Returning triggers graceful shutdown while the target is still answering.
            }
            #expect(sink.received.count == 1)
            #expect(stoppedAt.value != nil)
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct DeliveryServiceLifecycleTests {
    /// With no targets configured (jobs wait), the service must keep running until shutdown:
    /// a service that returns early stops the whole `serve`.
    @Test func runsUntilShutdownWithoutTargets() async throws {
        let stopped = Locked<Date?>(nil)
        let started = Date()
        try await DeliveryHarness.with(targets: [:], afterShutdown: { _ in stopped.value = Date() }) { harness in
            _ = try await harness.submit(targets: ["nobody"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(stopped.value == nil)
        }
        let elapsed = try #require(stopped.value).timeIntervalSince(started)
        #expect(elapsed >= 0.3)
    }
}
