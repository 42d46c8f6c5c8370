import Foundation

/// The qshape-like view: per target and state, how many jobs and how old the oldest is.
package struct QueueSummary: Sendable, Hashable {
    package struct Row: Sendable, Hashable {
        package var target: String
        package var state: JobState
        package var count: Int
        /// Age of the oldest message in this cell at the summary's `now`.
        package var oldestAge: Duration

        /// Public to the package so that the admin socket's client can rebuild the value it received.
        package init(target: String, state: JobState, count: Int, oldestAge: Duration) {
            self.target = target
            self.state = state
            self.count = count
            self.oldestAge = oldestAge
        }
    }

    /// Sorted by target, then state.
    package var rows: [Row]
    package var now: Date

    package init(rows: [Row], now: Date) {
        self.rows = rows
        self.now = now
    }
}
