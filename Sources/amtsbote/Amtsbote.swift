import ArgumentParser

/// The `amtsbote` command: one executable for the server, the operator CLI and benchmarks.
@main
struct Amtsbote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amtsbote",
        abstract: "Carries citizens' online-form submissions from the portal into department applications.",
        subcommands: [
            ServeCommand.self,
            SubmitCommand.self,
            QueueCommand.self,
            PurgeCommand.self,
            MappingCommand.self,
            BenchCommand.self,
            TokenCommand.self,
        ]
    )
}
