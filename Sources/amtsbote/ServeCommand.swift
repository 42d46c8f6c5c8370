import AmtsboteServer
import ArgumentParser
import Foundation
import Logging

/// `amtsbote serve [--config FILE]`: the portal API, the admin socket and the delivery workers
/// in one process, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the ingest API, the admin socket and the delivery workers.",
        discussion: """
            Stops on SIGTERM/SIGINT: no new connections, in-flight requests finish, the spool is \
            flushed and closed, exit 0 (within 10 s with the default shutdownGracePeriod of 8 s).
            Exit codes: 78 configuration or mappings invalid, 75 spool locked by another process.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "file"))
    var config: String = "config/amtsbote.yaml"

    func run() async throws {
        // Before the thread pools start allocating: see AllocatorTuning for the measurement.
        let allocator = AllocatorTuning.apply(environment: ProcessInfo.processInfo.environment)
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.load(file: self.config)
        } catch let error as ConfigFileError {
            Self.exit(message: error.description, code: 78)
        }
        let metrics = ServerMetrics()
        ProcessBootstrap.bootstrap(log: configuration.log, metrics: metrics)
        let logger = Logger(label: "amtsbote")
        logger.debug("Allocator settings", metadata: ["amtsbote.allocator": "\(allocator)"])
        let runtime: ServeRuntime
        do {
            runtime = try await ServeRuntime.open(configuration: configuration, logger: logger, metrics: metrics)
        } catch let error as ServerSetupError {
            Self.exit(message: error.description, code: error.code == .spoolUnavailable ? 75 : 78)
        }
        try await runtime.serviceGroup().run()
        logger.info("Stopped")
    }

    private static func exit(message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
