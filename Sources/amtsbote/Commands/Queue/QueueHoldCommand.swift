import ArgumentParser

/// `amtsbote queue hold …`: stop queued and deferred jobs until `release`.
struct QueueHoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Hold queued and deferred jobs.")

    @OptionGroup var spool: SpoolOptions
    @OptionGroup var selection: JobSelectionOptions

    func run() async throws {
        try await runSelection(spool, selection, verb: "held") { try await $0.hold($1) }
    }
}
