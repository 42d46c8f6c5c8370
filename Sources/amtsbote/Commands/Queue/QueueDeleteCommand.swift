import ArgumentParser

/// `amtsbote queue delete … --yes`: remove jobs for good (bytes leave the disk at the next purge).
struct QueueDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete jobs (asks for --yes). Their bytes leave the disk at the next purge."
    )

    @OptionGroup var spool: SpoolOptions
    @OptionGroup var selection: JobSelectionOptions

    @Flag(help: "Confirm the deletion.")
    var yes = false

    func validate() throws {
        guard yes else { throw ValidationError("delete removes jobs for good; add --yes to confirm") }
    }

    func run() async throws {
        try await runSelection(spool, selection, verb: "deleted") { try await $0.delete($1) }
    }
}
