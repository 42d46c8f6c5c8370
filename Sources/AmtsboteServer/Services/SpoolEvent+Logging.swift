import AmtsboteSpool
import Logging

extension Logger {
    /// Bridges the spool's events (constant message, content-free metadata) to this logger.
    package func spoolEventSink() -> SpoolEventSink {
        let logger = self
        return { event in
            let level: Logger.Level =
                switch event.level {
                case .debug: .debug
                case .info: .info
                case .notice: .notice
                case .warning: .warning
                case .error: .error
                }
            logger.log(level: level, "\(event.message)", metadata: event.metadata.mapValues { .string($0) })
        }
    }
}
