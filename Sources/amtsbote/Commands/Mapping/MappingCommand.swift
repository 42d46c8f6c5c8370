import ArgumentParser

/// `amtsbote mapping …`: check, route and try out the YAML mappings without a running server.
struct MappingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Check mappings, see where a submission would go, and what a target would receive.",
        subcommands: [MappingCheckCommand.self, MappingRouteCommand.self, MappingTestCommand.self]
    )
}
