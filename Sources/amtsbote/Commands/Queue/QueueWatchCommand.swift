import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote queue watch`: one line per job state change as it happens, until interrupted.
/// It follows the log read-only, so it needs no lock and runs beside the server or other commands.
struct QueueWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print one line per job state change as it happens, until interrupted."
    )

    @OptionGroup var spool: SpoolOptions

    @Flag(help: "JSON Lines: id, target, from, to, at.")
    var json = false

    func run() async throws {
        try await reportingFailures {
            let changes = try QueueControlFactory.changes(spool)
            var output = OutputBuffer()
            if !json {
                output.line("watching \(spool.path) (interrupt to stop)")
                output.flush()
            }
            for await change in changes {
                if json {
                    output.line(JSONLine.encode(ChangeJSON(change: change)))
                } else {
                    let from = change.oldState?.description ?? "new"
                    let to = change.newState?.description ?? "deleted"
                    output.line("\(Timestamp.iso8601(change.at)) \(change.messageID) \(change.target) \(from) -> \(to)")
                }
                output.flush()
            }
        }
    }
}
