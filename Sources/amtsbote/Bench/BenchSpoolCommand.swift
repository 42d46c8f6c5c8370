import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote bench spool`: accepts per second for 2 KiB messages at several concurrencies
/// (each run on a fresh spool for `--seconds`), then start-up time and peak RSS of a process
/// that opens a spool holding `--messages` messages.
struct BenchSpoolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "Benchmark the spool: accepts/s at several concurrencies; start-up time and peak RSS with many messages."
    )

    @Option(help: ArgumentHelp("Scratch directory on the disk to measure (removed afterwards).", valueName: "dir"))
    var directory: String = ".build-bench-tmp"

    @Option(help: "Seconds per concurrency level.")
    var seconds: Double = 10

    @Option(help: ArgumentHelp("Concurrency levels, comma-separated.", valueName: "list"))
    var concurrency: String = "1,16,128"

    @Option(help: "Payload bytes per message.")
    var size: Int = 2048

    @Option(help: "Messages in the spool for the start-up measurement (0 skips it).")
    var messages: Int = 1_000_000

    @Option(help: ArgumentHelp("Fill this spool for the start-up measurement and keep it (for profiling).", valueName: "dir"))
    var keepSpool: String?

    @Option(help: "Zero-filled spare segments the spool keeps ready (the spool's default is 2; 0 turns them off).")
    var preparedSegments: Int = SpoolConfiguration().preparedSegments

    func validate() throws {
        guard levels.count > 0, levels.allSatisfy({ $0 > 0 }) else { throw ValidationError("--concurrency: e.g. 1,16,128") }
        guard seconds > 0, size > 0, messages >= 0, preparedSegments >= 0 else { throw ValidationError("--seconds and --size must be positive") }
    }

    private var levels: [Int] { concurrency.split(separator: ",").compactMap { Int($0) } }

    func run() async throws {
        let root = URL(fileURLWithPath: directory).appendingPathComponent("bench-spool-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })

        for level in levels {
            let spoolDirectory = root.appendingPathComponent("c\(level)")
            let spool = try Spool.open(directory: spoolDirectory, configuration: SpoolConfiguration(preparedSegments: preparedSegments))
            let (count, elapsed) = try await Self.acceptLoop(spool, payload: payload, concurrency: level, seconds: seconds)
            let stats = spool.stats()
            try await spool.close()
            try? FileManager.default.removeItem(at: spoolDirectory)
            let perFlush = Double(stats.recordsWritten) / Double(max(1, stats.flushes))
            report(
                "accept 2KiB c=\(level): \(Int(Double(count) / elapsed)) msgs/s (\(count) in \(String(format: "%.1f", elapsed)) s, "
                    + "\(stats.flushes) flushes, \(String(format: "%.1f", perFlush)) records/flush)"
            )
        }

        guard messages > 0 else { return }
        let spoolDirectory = keepSpool.map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("startup")
        let fillStart = ContinuousClock.now
        let spool = try Spool.open(directory: spoolDirectory)
        try await Self.fill(spool, payload: payload, count: messages, concurrency: 256)
        try await spool.close()
        report("filled \(messages) messages in \(seconds(ContinuousClock.now - fillStart)) s")
        // Open in fresh processes so that peak RSS is the start-up's alone; twice, to show variance.
        for round in 1...2 {
            let output = try Self.runProbe(spoolDirectory.path)
            report("start-up #\(round) with \(messages) messages: \(output)")
        }
    }

    private func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    private func report(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// `concurrency` tasks accept until the time is up; returns accepts and seconds taken.
    static func acceptLoop(_ spool: Spool, payload: Data, concurrency: Int, seconds: Double) async throws -> (Int, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while clock.now < deadline {
                        _ = try await spool.accept(benchMessage(payload))
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        return (count, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func fill(_ spool: Spool, payload: Data, count: Int, concurrency: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var index = worker
                    while index < count {
                        _ = try await spool.accept(benchMessage(payload))
                        index += concurrency
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    static func benchMessage(_ payload: Data) -> NewMessage {
        NewMessage(clientID: "bench", contentType: "application/xml", targets: ["gewerbeamt"], payload: payload)
    }

    /// Runs `amtsbote bench spool-open DIR` and returns its report line.
    static func runProbe(_ directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executablePath())
        process.arguments = ["bench", "spool-open", directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func executablePath() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw CommandFailure(message: "cannot find own executable", code: ExitCodes.failure) }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
