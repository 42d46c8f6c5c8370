import AmtsboteSpool
import Foundation

/// Prints the spool's warnings (bytes copied to `corrupt/` during recovery) on stderr, so an
/// operator sees them. Errors reach the CLI as thrown errors (one line, exit code), so their
/// events are not printed twice; quieter events are dropped.
enum CommandLineEvents {
    static let report: SpoolEventSink = { event in
        guard event.level == .warning else { return }
        let details = event.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        FileHandle.standardError.write(Data("amtsbote: \(event.message) \(details)\n".utf8))
    }
}
