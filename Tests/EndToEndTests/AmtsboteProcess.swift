import AmtsboteTestSupport
import Foundation

/// Runs the real `amtsbote` binary, found next to the test bundle (the directory of
/// `/proc/self/exe`'s real path, e.g. `.build/debug/`).
enum AmtsboteProcess {
    static let executable: URL = {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent("amtsbote")
    }()

    /// The repository root (where `mappings/` and `config/` live).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var lines: [String] { text.split(separator: "\n").map(String.init) }
    }

    /// Runs `amtsbote arguments…` to completion, feeding `input` on stdin.
    ///
    /// The child is waited for on a thread of its own (`OffThePool`): a test blocked in
    /// `waitUntilExit` would hold one of the cooperative pool's threads (two on this machine),
    /// and other suites' servers and delivery workers running in parallel would stall behind it.
    static func run(_ arguments: [String], input: Data? = nil, in directory: URL? = nil) async throws -> Result {
        try await OffThePool.run { try runExecutable(executable, arguments, input: input, in: directory) }
    }

    /// Runs a command line through bash (for `ulimit`/`trap` set-ups); `$AMTSBOTE` is the binary.
    static func runShell(_ script: String, in directory: URL? = nil) async throws -> Result {
        try await OffThePool.run {
            try runExecutable(URL(fileURLWithPath: "/bin/bash"), ["-c", script], input: nil, in: directory, environment: ["AMTSBOTE": executable.path])
        }
    }

    /// Blocks until the child has exited: called only through `OffThePool`.
    private static func runExecutable(
        _ executable: URL, _ arguments: [String], input: Data?, in directory: URL?, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        // Read both pipes concurrently so that a chatty child never blocks on a full pipe.
        let errorData = PipeReader(stderr.fileHandleForReading)
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: output, stderr: String(decoding: errorData.waitBlocking(), as: UTF8.self))
    }

    /// Starts `amtsbote arguments…` in the background, stdout piped.
    static func start(_ arguments: [String]) throws -> (Process, FileHandle) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, stdout.fileHandleForReading)
    }
}

/// Reads a pipe to its end on a thread of its own, so the child never blocks on a full pipe.
final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var sawData = false
    private let done = DispatchSemaphore(value: 0)
    private let firstData = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self.lock.lock()
                self.data.append(chunk)
                let first = !self.sawData
                self.sawData = true
                self.lock.unlock()
                if first { self.firstData.signal() }
            }
            self.firstData.signal()
            self.done.signal()
        }.start()
    }

    /// Waits until the first bytes arrived (or the pipe closed, or `timeout` passed).
    func waitForFirstData(timeout: Double) async {
        await OffThePool.run { _ = self.firstData.wait(timeout: .now() + timeout) }
    }

    /// Waits until the pipe is closed and returns everything read.
    func wait() async -> Data {
        await OffThePool.run { self.waitBlocking() }
    }

    /// `wait` for callers already off the cooperative pool.
    func waitBlocking() -> Data {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

extension Process {
    /// `waitUntilExit` without holding a cooperative pool thread meanwhile.
    func exited() async {
        await OffThePool.run { self.waitUntilExit() }
    }
}
