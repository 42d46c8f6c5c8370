/// Something the spool wants logged. The spool has no swift-log dependency; the caller bridges
/// these to its logger. Messages are constant; details are metadata and never contain payload bytes.
package struct SpoolEvent: Sendable {
    package enum Level: Sendable, Comparable {
        case debug, info, notice, warning, error
    }

    package var level: Level
    /// A constant sentence, e.g. "Truncated torn tail".
    package var message: String
    /// Keys are prefixed `amtsbote.spool.` / `amtsbote.message.`.
    package var metadata: [String: String]

    package init(_ level: Level, _ message: String, _ metadata: [String: String] = [:]) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }
}

/// Receives the spool's events; called from the spool's threads, so it must be cheap and thread-safe.
package typealias SpoolEventSink = @Sendable (SpoolEvent) -> Void
