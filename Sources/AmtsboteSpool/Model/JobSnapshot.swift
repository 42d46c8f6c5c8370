import Foundation

/// A copy of one job's state, for operators, the status API and the delivery engine.
package struct JobSnapshot: Sendable, Hashable {
    package var messageID: MessageID
    package var target: String
    package var state: JobState
    package var attempts: [Attempt]
    package var receivedAt: Date
    /// When the job is due (queued/deferred); nil for held, delivering and final states.
    package var nextAttemptAt: Date?
    package var lastError: String?
    package var deliveredAt: Date?
    package var clientID: String
}
