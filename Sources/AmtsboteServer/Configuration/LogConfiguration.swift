import Logging

/// Log output: one line per event on standard error, as text or JSON.
package struct LogConfiguration: Sendable, Equatable {
    /// Line format.
    package enum Format: String, Sendable, CaseIterable {
        /// `2026-11-26T12:00:00.123Z info amtsbote: Request served key=value ...`
        case text
        /// One JSON object per line, for log shippers.
        case json
    }

    /// Default `text`.
    package var format: Format
    /// Default `info`.
    package var level: Logger.Level

    package init(format: Format = .text, level: Logger.Level = .info) {
        self.format = format
        self.level = level
    }
}
