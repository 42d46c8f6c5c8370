import Foundation

/// A job a delivery worker has taken with `Spool.claimNextDue`; hand it back with `Spool.finish`.
package struct ClaimedJob: Sendable, Hashable {
    package var messageID: MessageID
    package var target: String
    package var receivedAt: Date
    /// Attempts made before this one.
    package var previousAttempts: Int
    package var clientID: String
    /// Identifies this claim; `finish` refuses a stale claim (e.g. after an operator deleted the job).
    package var claimToken: UInt32

    /// The stable key targets use to drop duplicates: `<message-id>/<target>`.
    package var idempotencyKey: String { "\(messageID)/\(target)" }
}
