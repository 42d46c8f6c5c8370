/// The state of one job in the index.
struct JobEntry: Sendable {
    var message: UInt32
    var target: UInt32
    /// nil once deleted by an operator.
    var state: JobState?
    /// The ready state (`queued`/`deferred`) a held job returns to on `release`.
    var heldFrom: JobState = .queued
    /// Transient failures since the job was created or last queued again by an operator's
    /// `retry` (saturating): the step of the retry backoff. Rebuilt at start-up from the
    /// `attempt` and `routed` records, so it needs no record of its own; a `UInt16` so it sits in
    /// the padding after the two state bytes and the entry stays 40 bytes.
    var failuresSinceRetry: UInt16 = 0
    /// Bumped whenever the job enters a ready queue or is claimed; stale heap entries and stale
    /// claims carry an older one.
    var generation: UInt32 = 0
    var due: Int64
    /// Time of the last state change (delivered time for delivered jobs; finish time for purge).
    var changedAt: Int64
    var attempts: [Attempt] = []
}
