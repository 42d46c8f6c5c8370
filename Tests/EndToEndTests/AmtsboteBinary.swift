import Foundation

/// Locates and runs the built `amtsbote` binary for end-to-end tests.
///
/// The test target depends on the executable target, so the binary is built first and sits next to
/// the test bundle: in the directory of `/proc/self/exe`'s real path (`.build/debug/`).
enum AmtsboteBinary {
    /// Path of the `amtsbote` executable.
    static let url: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("amtsbote")
    }()

    /// The repository root (where `mappings/` lives).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: Data

        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `amtsbote ARGS` in `directory` (default: the repository root) and waits for it.
    static func run(_ arguments: [String], in directory: URL = repositoryRoot) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a large output cannot block the child.
        let errReader = Thread.detachedRead(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: stdout, stderr: errReader.wait())
    }
}

private extension Thread {
    /// Reads a pipe to its end on a separate thread.
    final class PipeReader: @unchecked Sendable {
        // @unchecked: `data` is written once by the reader thread before `done` is signalled and read after.
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }

    static func detachedRead(_ handle: FileHandle) -> PipeReader { PipeReader(handle) }
}
