import AmtsboteSpool
import ArgumentParser

/// `--target T` and `--state S`, shared by `list` and the bulk commands.
struct JobFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only jobs for this target.", valueName: "name"))
    var target: String?

    @Option(help: ArgumentHelp("Only jobs in this state: queued, delivering, deferred, held, delivered, dead.", valueName: "state"))
    var state: String?

    func validate() throws {
        _ = try parsedState()
    }

    func parsedState() throws -> JobState? {
        guard let state else { return nil }
        guard let parsed = JobState(name: state) else {
            throw ValidationError("--state: '\(state)' is not one of \(JobState.allCases.map(\.description).joined(separator: ", "))")
        }
        return parsed
    }
}
