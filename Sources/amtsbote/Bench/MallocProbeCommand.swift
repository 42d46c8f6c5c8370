import AmtsboteServer
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `amtsbote bench malloc-probe [--no-tuning]` (hidden): in a fresh process, whose heap holds no
/// large free chunks, shows whether `serve`'s allocator tuning keeps large blocks mmapped after
/// a large block was freed (glibc's dynamic mmap threshold would move them into an arena).
/// Prints `first=mapped|arena second=mapped|arena`. Run by the end-to-end tests: inside a test
/// process other tests' freed memory can serve a large block, so the check needs its own process.
struct MallocProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "malloc-probe", shouldDisplay: false)

    @Flag(help: "Leave glibc's defaults (to show the dynamic threshold).")
    var noTuning = false

    func run() throws {
        #if canImport(Glibc)
        if !self.noTuning {
            guard AllocatorTuning.apply(environment: [:]) == .applied else {
                throw CommandFailure(message: "mallopt is not available", code: ExitCodes.failure)
            }
        }
        guard let first = malloc(4 * 1024 * 1024) else { throw CommandFailure(message: "malloc failed", code: ExitCodes.failure) }
        let firstMapped = Self.isMapped(first)
        free(first)
        guard let second = malloc(512 * 1024) else { throw CommandFailure(message: "malloc failed", code: ExitCodes.failure) }
        let secondMapped = Self.isMapped(second)
        free(second)
        print("first=\(firstMapped ? "mapped" : "arena") second=\(secondMapped ? "mapped" : "arena")")
        #else
        throw CommandFailure(message: "glibc only", code: ExitCodes.failure)
        #endif
    }

    /// glibc's chunk header: the size word before the block has bit 1 (IS_MMAPPED) set.
    private static func isMapped(_ pointer: UnsafeMutableRawPointer) -> Bool {
        (pointer - MemoryLayout<Int>.size).load(as: Int.self) & 2 != 0
    }
}
