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
}
