import Foundation

/// A job a delivery worker has taken with `Spool.claimNextDue`; hand it back with `Spool.finish`.
package struct ClaimedJob: Sendable, Hashable {
    package var messageID: MessageID
    package var target: String
    package var receivedAt: Date
    /// Attempts made before this one.
    package var previousAttempts: Int
    /// Transient failures since the job was accepted or last retried by an operator (`queue
    /// retry`): the step of the retry backoff, so an operator's retry starts a fresh cycle from
    /// the initial delay while `previousAttempts` and the history still count every attempt.
    package var failuresSinceRetry: Int
    package var clientID: String
    /// Identifies this claim; `finish` refuses a stale claim (e.g. after an operator deleted the job).
    package var claimToken: UInt32

    /// The stable key targets use to drop duplicates: `<message-id>/<target>`.
    package var idempotencyKey: String { "\(messageID)/\(target)" }
}
