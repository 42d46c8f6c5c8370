import AmtsboteSpool
import ArgumentParser

/// Which jobs `hold`, `release`, `retry` and `delete` act on: ids, and/or `--target`/`--state`, or `--all`.
struct JobSelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Message ids (all their jobs, or only --target's).", valueName: "id"))
    var ids: [String] = []

    @OptionGroup var filter: JobFilterOptions

    @Flag(help: "Every job.")
    var all = false

    func validate() throws {
        if all && (!ids.isEmpty || filter.target != nil || filter.state != nil) {
            throw ValidationError("--all cannot be combined with ids, --target or --state")
        }
        if !all && ids.isEmpty && filter.target == nil && filter.state == nil {
            throw ValidationError("say which jobs: message ids, --target, --state or --all")
        }
        if let bad = ids.first(where: { MessageID($0) == nil }) {
            throw ValidationError("'\(bad)' is not a message id (26 characters, Crockford base32)")
        }
    }

    var selection: JobSelection {
        get throws {
            if all { return .all }
            return JobSelection(
                ids: ids.isEmpty ? nil : ids.compactMap(MessageID.init),
                target: filter.target,
                state: try filter.parsedState()
            )
        }
    }
}

/// Runs one bulk operation and prints "N jobs VERB".
func runSelection(
    _ spool: SpoolOptions,
    _ options: JobSelectionOptions,
    verb: String,
    _ operation: @escaping (any QueueControl, JobSelection) async throws -> Int
) async throws {
    try await withQueueControl(spool) { control in
        let count = try await operation(control, try options.selection)
        print("\(count) \(count == 1 ? "job" : "jobs") \(verb)")
    }
}
