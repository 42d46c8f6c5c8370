import AmtsboteSpool
import Foundation

/// Prints the spool's warnings (e.g. bytes moved to `corrupt/` during recovery) on stderr, so
/// an operator sees them; quieter events are dropped in the CLI.
enum CommandLineEvents {
    static let report: SpoolEventSink = { event in
        guard event.level >= .notice else { return }
        let details = event.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        FileHandle.standardError.write(Data("amtsbote: \(event.message) \(details)\n".utf8))
    }
}
