import Foundation

/// One state change of one job, as streamed by `Spool.changes()`.
package struct JobChange: Sendable, Hashable {
    package var messageID: MessageID
    package var target: String
    /// nil when the job was just created.
    package var oldState: JobState?
    /// nil when the job was deleted or purged.
    package var newState: JobState?
    package var at: Date

    /// Public to the package so that the admin socket's client can rebuild the value it received.
    package init(
        messageID: MessageID,
        target: String,
        oldState: JobState?,
        newState: JobState?,
        at: Date
    ) {
        self.messageID = messageID
        self.target = target
        self.oldState = oldState
        self.newState = newState
        self.at = at
    }
}
