import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote bench spool`: accepts/s for 2 KiB messages at several concurrencies, and start-up
/// time and peak RSS with many messages spooled.
struct BenchSpoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spool", abstract: "Benchmark the spool.")

    func run() async throws {}
}
