import ArgumentParser

/// `amtsbote queue retry …`: held, deferred and dead jobs are queued again, due now, starting a
/// fresh retry cycle (the backoff begins again at the initial delay).
struct QueueRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue held, deferred and dead jobs again, due now, with a fresh backoff (dead jobs are mapped afresh)."
    )

    @OptionGroup var spool: SpoolOptions
    @OptionGroup var selection: JobSelectionOptions

    func run() async throws {
        try await runSelection(spool, selection, verb: "queued for retry") { try await $0.retry($1) }
    }
}
