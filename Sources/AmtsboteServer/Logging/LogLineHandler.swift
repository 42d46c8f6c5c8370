import AmtsboteSpool
import Foundation
import Logging

/// A swift-log handler writing one line per event, as text or JSON, to a file descriptor
/// (standard error by default).
///
/// Each line is written with a single `write(2)` under a lock, so lines from concurrent
/// requests never interleave. Metadata keys are sorted so lines are easy to grep and diff.
/// What goes in is the caller's business: Amtsbote logs ids and sizes, never form contents.
package struct LogLineHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    package var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let format: LogConfiguration.Format
    private let output: LogOutput

    /// - Parameters:
    ///   - label: logger label (printed per line)
    ///   - format: text or JSON lines
    ///   - level: minimum level
    ///   - output: where lines go; shared by all handlers of one process
    package init(label: String, format: LogConfiguration.Format, level: Logger.Level, output: LogOutput = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.output = output
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let metadata = event.metadata { merged.merge(metadata) { _, new in new } }
        let line: String
        switch self.format {
        case .text: line = self.textLine(event: event, metadata: merged)
        case .json: line = self.jsonLine(event: event, metadata: merged)
        }
        self.output.write(line)
    }

    private func textLine(event: LogEvent, metadata: Logger.Metadata) -> String {
        var line = "\(Timestamp.iso8601(Date())) \(event.level) \(self.label): \(event.message)"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(metadata[key]!)"
        }
        if self.logLevel <= .debug {
            line += " source=\(event.source) at=\(event.file):\(event.line)"
        }
        return line + "\n"
    }

    private func jsonLine(event: LogEvent, metadata: Logger.Metadata) -> String {
        var object: [String: JSONValue] = [:]
        for (key, value) in metadata { object[key] = Self.json(value) }
        object["time"] = .string(Timestamp.iso8601(Date()))
        object["level"] = .string(event.level.rawValue)
        object["label"] = .string(self.label)
        object["message"] = .string(event.message.description)
        return String(decoding: JSONValue.object(object).jsonBytes, as: UTF8.self) + "\n"
    }

    private static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let string): return .string(string)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .array(let values): return .array(values.map(Self.json))
        case .dictionary(let dictionary): return .object(dictionary.mapValues(Self.json))
        }
    }
}
