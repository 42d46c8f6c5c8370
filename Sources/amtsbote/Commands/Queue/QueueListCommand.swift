import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote queue list [--target T] [--state S] [--json]`.
struct QueueListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, oldest first.")

    @OptionGroup var spool: SpoolOptions
    @OptionGroup var filter: JobFilterOptions

    @Flag(help: "JSON Lines: id, target, state, attempts, receivedAt, nextAttemptAt, lastError, deliveredAt, clientID.")
    var json = false

    func run() async throws {
        try await withQueueControl(spool) { control in
            let jobs = try await control.jobs(target: filter.target, state: try filter.parsedState())
            var output = OutputBuffer()
            if json {
                for job in jobs { output.line(JSONLine.encode(JobJSON(snapshot: job, withHistory: false))) }
            } else {
                var table = Table(header: ["ID", "TARGET", "STATE", "ATTEMPTS", "RECEIVED", "NEXT ATTEMPT", "LAST ERROR"])
                for job in jobs {
                    table.rows.append([
                        job.messageID.description, job.target, job.state.description, String(job.attempts.count),
                        Timestamp.iso8601(job.receivedAt), job.nextAttemptAt.map(Timestamp.iso8601) ?? "-", job.lastError ?? "-",
                    ])
                }
                for line in table.lines() { output.line(line) }
            }
            output.flush()
        }
    }
}
