import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote bench spool-crash-child --spool DIR` (hidden): the crash test's victim. Accepts
/// without end at `--concurrency`, and after each `accept` returned writes `<id> <seed>` to
/// stdout with one unbuffered write, so every printed id was acknowledged. The payload is a
/// function of the seed (see `payload(seed:)`), so the test can check the bytes after a SIGKILL.
struct CrashChildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spool-crash-child", shouldDisplay: false)

    @OptionGroup var spool: SpoolOptions

    @Option var concurrency: Int = 16

    /// Small segments make the test cross segment boundaries often.
    @Option var segmentBytes: Int = 256 * 1024

    func run() async throws {
        try await reportingFailures {
            let store = try Spool.open(
                directory: URL(fileURLWithPath: spool.path),
                configuration: SpoolConfiguration(segmentBytes: segmentBytes)
            )
            let base = UInt64(getpid()) << 32
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var sequence: UInt64 = 0
                        while true {
                            let seed = base | UInt64(worker) << 24 | sequence
                            sequence += 1
                            let receipt = try await store.accept(
                                NewMessage(clientID: "crash", contentType: "application/octet-stream", targets: ["t"], payload: Self.payload(seed: seed))
                            )
                            let line = Array("\(receipt.id) \(seed)\n".utf8)
                            line.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// 64 to 8,255 bytes derived from `seed` (the crash test computes the same bytes).
    static func payload(seed: UInt64) -> Data {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        let length = 64 + Int(seed % 8192)
        var bytes = [UInt8](repeating: 0, count: length)
        for index in 0..<length {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }
}
