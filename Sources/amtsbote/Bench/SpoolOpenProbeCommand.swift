import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote bench spool-open DIR` (hidden): opens a spool, reports how long recovery took and
/// the process's peak RSS (VmHWM), closes it. Run in a fresh process by `bench spool`.
struct SpoolOpenProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spool-open", shouldDisplay: false)

    @Argument var directory: String

    func run() async throws {
        let baseline = Self.memoryKiB("VmHWM")
        let clock = ContinuousClock()
        let start = clock.now
        let spool = try Spool.open(directory: URL(fileURLWithPath: directory), configuration: SpoolConfiguration(createIfMissing: false))
        let elapsed = clock.now - start
        let stats = spool.stats()
        let peak = Self.memoryKiB("VmHWM")
        let current = Self.memoryKiB("VmRSS")
        try await spool.close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "open \(String(format: "%.2f", seconds)) s, \(stats.messages) messages, \(stats.segments) segments, "
                + "peak RSS \(peak / 1024) MiB (before open \(baseline / 1024) MiB, after open \(current / 1024) MiB)"
        )
    }

    /// A `Vm…` line of /proc/self/status in KiB.
    static func memoryKiB(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}
