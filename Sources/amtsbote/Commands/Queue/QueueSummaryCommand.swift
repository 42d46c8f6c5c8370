import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote queue [summary]`: targets × states with counts and oldest age (like qshape).
struct QueueSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Jobs per target and state, with the age of the oldest."
    )

    @OptionGroup var spool: SpoolOptions

    @Flag(help: "JSON Lines: target, state, count, oldestAgeSeconds.")
    var json = false

    func run() async throws {
        try await withQueueControl(spool) { control in
            let summary = try await control.summary(now: Date())
            var output = OutputBuffer()
            if json {
                for row in summary.rows {
                    output.line(
                        JSONLine.encode(
                            SummaryRowJSON(target: row.target, state: row.state.description, count: row.count, oldestAgeSeconds: row.oldestAge.components.seconds)
                        )
                    )
                }
            } else if summary.rows.isEmpty {
                output.line("no jobs")
            } else {
                var table = Table(header: ["TARGET", "STATE", "COUNT", "OLDEST"])
                for row in summary.rows {
                    table.rows.append([row.target, row.state.description, String(row.count), DurationText.format(row.oldestAge)])
                }
                table.rows.append(["total", "", String(summary.rows.reduce(0) { $0 + $1.count }), ""])
                for line in table.lines() { output.line(line) }
            }
            output.flush()
        }
    }
}
