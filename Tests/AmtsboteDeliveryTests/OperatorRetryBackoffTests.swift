import AmtsboteDelivery
import AmtsboteSpool
import AmtsboteTestSupport
import Foundation
import Testing

/// An operator's `queue retry` starts a fresh retry cycle: the backoff goes back to its first
/// step, while the attempt history keeps every attempt. Real spool, real HTTP target on 127.0.0.1.
@Suite(.timeLimit(.minutes(1))) struct OperatorRetryBackoffTests {
    /// 20 ms, 200 ms, 2 s, 20 s, … without jitter, so each planned delay is exactly the policy's
    /// bound and the 2 s after the third failure leave the test ample time to retry in between.
    private static let policy = RetryPolicy(initialDelay: 0.02, multiplier: 10, maximumDelay: 60, jitter: .none)

    /// The delay the worker planned after an attempt: from the answer (start + duration) to the
    /// planned next attempt.
    private static func plannedDelay(_ attempt: Attempt) throws -> TimeInterval {
        let next = try #require(attempt.nextAttemptAt)
        let duration = Double(attempt.duration.components.seconds) + Double(attempt.duration.components.attoseconds) / 1e18
        return next.timeIntervalSince(attempt.at.addingTimeInterval(duration))
    }

    /// Waits (polling every 5 ms) until the job has at least `count` attempts.
    private static func waitForAttempts(_ harness: DeliveryHarness, _ id: MessageID, _ count: Int) async throws -> JobSnapshot {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let job = try harness.job(id, "alpha"), job.attempts.count >= count { return job }
            try await Task.sleep(for: .milliseconds(5))
        }
        let attempts = try harness.job(id, "alpha")?.attempts.count ?? 0
        Issue.record("job \(id) did not reach \(count) attempts; has \(attempts)")
        throw CancellationError()
    }

    @Test func anOperatorRetryStartsTheBackoffOver() async throws {
        try await HTTPSink.with(script: { _ in .status(503) }) { sink, url in
            let target = TargetConfiguration.testHTTP(url, concurrency: 1, retry: Self.policy)
            try await DeliveryHarness.with(targets: ["alpha": target]) { harness in
                let id = try await harness.submit(targets: ["alpha"])

                // Three failures: the backoff grows 20 ms → 200 ms → 2 s.
                let before = try await Self.waitForAttempts(harness, id, 3)
                let grown = try before.attempts.map(Self.plannedDelay)
                for (planned, bound) in zip(grown, [0.02, 0.2, 2.0]) {
                    #expect(planned >= bound - 0.005 && planned <= bound + 0.05, "planned \(grown), expected 0.02, 0.2, 2")
                }
                #expect(try harness.job(id, "alpha")?.state == .deferred)

                // The operator retries: one attempt at once, and when it fails too, the next one
                // is planned after the first step again (the old count would give 20 s).
                let retried = Date()
                #expect(try await harness.spool.retry(.ids([id], target: "alpha")) == 1)
                let first = try await Self.waitForAttempts(harness, id, 4).attempts[3]
                #expect(first.at >= retried && first.at.timeIntervalSince(retried) < 1)
                let restarted = try Self.plannedDelay(first)
                try #require(restarted <= 0.02 + 0.05, "first delay after the retry: \(restarted) s")
                // …and it grows again from there.
                let after = try await Self.waitForAttempts(harness, id, 5)
                let second = try Self.plannedDelay(after.attempts[4])
                #expect(second >= 0.2 - 0.005 && second <= 0.2 + 0.05, "second delay after the retry: \(second) s")

                // The history still holds every attempt, and the target saw every one of them.
                #expect(after.attempts.prefix(5).allSatisfy { $0.outcome == .transientFailure && $0.status == 503 })
                #expect(sink.received.count >= 5)
            }
        }
    }
}
