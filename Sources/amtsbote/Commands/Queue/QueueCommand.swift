import ArgumentParser

/// `amtsbote queue …`: see and steer the spool (Postfix's postqueue/postsuper/qshape as models).
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Show and steer the queue (default: summary by target and state).",
        subcommands: [
            QueueSummaryCommand.self,
            QueueListCommand.self,
            QueueShowCommand.self,
            QueueHoldCommand.self,
            QueueReleaseCommand.self,
            QueueRetryCommand.self,
            QueueDeleteCommand.self,
            QueueWatchCommand.self,
        ],
        defaultSubcommand: QueueSummaryCommand.self
    )
}
