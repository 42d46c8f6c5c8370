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

    /// Public to the package so that the admin socket's client can rebuild the value it received.
    package init(
        messageID: MessageID,
        target: String,
        state: JobState,
        attempts: [Attempt],
        receivedAt: Date,
        nextAttemptAt: Date?,
        lastError: String?,
        deliveredAt: Date?,
        clientID: String
    ) {
        self.messageID = messageID
        self.target = target
        self.state = state
        self.attempts = attempts
        self.receivedAt = receivedAt
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
        self.clientID = clientID
    }
}
