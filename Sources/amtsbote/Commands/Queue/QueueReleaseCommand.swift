import ArgumentParser

/// `amtsbote queue release …`: held jobs go back to where they were (queued or deferred).
struct QueueReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release held jobs.")

    @OptionGroup var spool: SpoolOptions
    @OptionGroup var selection: JobSelectionOptions

    func run() async throws {
        try await runSelection(spool, selection, verb: "released") { try await $0.release($1) }
    }
}
