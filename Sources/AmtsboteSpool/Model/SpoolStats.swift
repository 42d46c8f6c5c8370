/// Cheap counters for /metrics; computed from counters kept up to date, never by scanning.
package struct SpoolStats: Sendable, Hashable {
    package struct Key: Sendable, Hashable {
        package var target: String
        package var state: JobState
    }

    package var messages: Int
    package var jobs: [Key: Int]
    package var bytesOnDisk: Int64
    package var segments: Int
    /// fdatasyncs (group commits) since the spool was opened.
    package var flushes: Int = 0
    /// Records written by those flushes (`recordsWritten / flushes` = average group size).
    package var recordsWritten: Int = 0
}
