import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote purge --older-than 30d [--dry-run]`: finished messages leave the disk.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove finished messages (all jobs delivered, dead or deleted) older than a retention from the disk.",
        discussion: "Segments holding them are rewritten without them; audit.log gets one content-free line per purged job."
    )

    @OptionGroup var spool: SpoolOptions

    @Option(help: ArgumentHelp("Retention, e.g. 30d, 12h, 1d12h, 0.", valueName: "age"))
    var olderThan: String

    @Flag(help: "Only report what would be removed.")
    var dryRun = false

    func validate() throws {
        guard DurationText.parse(olderThan) != nil else {
            throw ValidationError("--older-than: '\(olderThan)' is not a duration like 30d, 12h, 90m or 0")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let control = try QueueControlFactory.open(spool)
            let report: PurgeReport
            do {
                report = try await control.purge(olderThan: DurationText.parse(olderThan)!, dryRun: dryRun)
                try await control.close()
            } catch {
                try? await control.close()
                throw error
            }
            let verb = report.dryRun ? "would purge" : "purged"
            print(
                "\(verb) \(report.messages) messages (\(report.jobs) jobs), \(report.bytesReclaimed) bytes, "
                    + "\(report.segmentsRewritten) segments rewritten, \(report.corruptCopiesRemoved) corrupt copies"
            )
        }
    }
}
