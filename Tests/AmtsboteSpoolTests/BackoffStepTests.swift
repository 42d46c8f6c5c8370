import Foundation
import Testing

@testable import AmtsboteSpool

/// The backoff step a claim carries (`failuresSinceRetry`): transient failures since the last
/// operator `retry`, rebuilt from the log at start-up.
@Suite struct BackoffStepTests {
    /// Far enough ahead that every deferred job of the test is due.
    private let later = Date().addingTimeInterval(30 * 86_400)

    /// Claims the job of target `a` and records a transient failure, deferring it by an hour.
    private func fail(_ spool: Spool, expectingStep step: Int, attempts: Int) async throws {
        let job = try #require(spool.claimNextDue(target: "a", now: later))
        #expect(job.failuresSinceRetry == step)
        #expect(job.previousAttempts == attempts)
        let next = Date().addingTimeInterval(3600)
        try await spool.finish(
            job,
            attempt: Attempt(at: Date(), outcome: .transientFailure, status: 503, error: "HTTP 503", nextAttemptAt: next),
            result: .deferred(until: next)
        )
    }

    @Test func retryResetsTheStepReleaseKeepsItAndBothSurviveAReopen() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let message = try await spool.accept(sampleMessage(targets: ["a"]))
            for failures in 0..<3 { try await fail(spool, expectingStep: failures, attempts: failures) }

            // Hold and release is a pause: the step stays.
            #expect(try await spool.hold(.ids([message.id], target: "a")) == 1)
            #expect(try await spool.release(.ids([message.id], target: "a")) == 1)
            try await fail(spool, expectingStep: 3, attempts: 3)

            // An operator's retry starts a fresh cycle; the history keeps counting.
            #expect(try await spool.retry(.ids([message.id], target: "a")) == 1)
            try await fail(spool, expectingStep: 0, attempts: 4)
            try await spool.close()

            // Rebuilt from the log: one failure since the retry, five attempts in all.
            let reopened = try Spool.open(directory: directory)
            let job = try #require(try reopened.message(message.id)?.jobs.first)
            #expect(job.attempts.count == 5)
            let claimed = try #require(reopened.claimNextDue(target: "a", now: later))
            #expect(claimed.failuresSinceRetry == 1)
            #expect(claimed.previousAttempts == 5)
            // Left `delivering`: recovery queues it again without touching the step.
            try await reopened.close()

            let again = try Spool.open(directory: directory)
            try await fail(again, expectingStep: 1, attempts: 5)
            try await again.close()
        }
    }

    @Test func aDeadJobRetriedStartsAtTheFirstStep() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let message = try await spool.accept(sampleMessage(targets: ["a"]))
            for failures in 0..<2 { try await fail(spool, expectingStep: failures, attempts: failures) }
            let job = try #require(spool.claimNextDue(target: "a", now: later))
            try await spool.finish(job, attempt: Attempt(at: Date(), outcome: .expired, error: "lifetime of 5d expired"), result: .dead)
            #expect(try await spool.retry(.matching(state: .dead)) == 1)
            try await fail(spool, expectingStep: 0, attempts: 3)
            try await spool.close()
            let reopened = try Spool.open(directory: directory)
            try await fail(reopened, expectingStep: 1, attempts: 4)
            #expect(try reopened.message(message.id)?.jobs.first?.attempts.count == 5)
            try await reopened.close()
        }
    }

    /// The counter sits in the padding after the two state bytes: the per-job entry (and with it
    /// the index of a million messages) does not grow.
    @Test func theJobEntryStaysFortyBytes() {
        #expect(MemoryLayout<JobEntry>.stride == 40)
    }
}
