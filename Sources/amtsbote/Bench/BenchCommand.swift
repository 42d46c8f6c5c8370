import ArgumentParser

/// `amtsbote bench …`: performance measurements (run them on a release build).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure performance (build with -c release first).",
        subcommands: [BenchSpoolCommand.self, BenchMappingCommand.self, BenchE2ECommand.self, BenchHTTPFloorCommand.self, SpoolOpenProbeCommand.self, CrashChildCommand.self, MallocProbeCommand.self]
    )
}
