import AmtsboteSpool
import AmtsboteTestSupport
import Foundation
import Testing

/// Guarantee 1: nothing acknowledged is lost. A child process (the real binary) accepts at
/// concurrency 16 and prints each id after `accept` returned; it is killed with SIGKILL at
/// random moments, and after every kill each printed id must be in the spool with
/// byte-identical payload.
@Suite(.timeLimit(.minutes(5))) struct CrashTests {
    /// Same bytes as `CrashChildCommand.payload(seed:)` in the binary.
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

    @Test func killNineNeverLosesAnAcknowledgedMessage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var acknowledged: [MessageID: UInt64] = [:]
        var generator = SystemRandomNumberGenerator()
        let rounds = 24
        var roundsWithAccepts = 0
        for round in 0..<rounds {
            let (process, stdout) = try AmtsboteProcess.start(
                ["bench", "spool-crash-child", "--spool", directory.path, "--concurrency", "16"]
            )
            let reader = PipeReader(stdout)
            // Random moment: every sixth round during start-up/recovery, otherwise while it accepts.
            if round % 6 == 0 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...30, using: &generator)))
            } else {
                await reader.waitForFirstData(timeout: 30)
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...250, using: &generator)))
            }
            kill(process.processIdentifier, SIGKILL)
            await process.exited()
            #expect(process.terminationReason == .uncaughtSignal)

            let text = String(decoding: await reader.wait(), as: UTF8.self)
            var printed = 0
            // Only whole lines count: each was written with one write() after accept returned.
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            lines.removeLast()  // empty, or a line cut by the kill
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let id = MessageID(String(parts[0])), let seed = UInt64(parts[1]) else {
                    Issue.record("malformed line from child: \(line)")
                    continue
                }
                acknowledged[id] = seed
                printed += 1
            }
            if printed > 0 { roundsWithAccepts += 1 }

            // Recovery of the grown spool takes a while: off the pool, like every wait here.
            let spool = try await OffThePool.run { try Spool.open(directory: directory, configuration: SpoolConfiguration(segmentBytes: 256 * 1024)) }
            for (id, seed) in acknowledged {
                do {
                    let stored = try spool.payload(id)
                    #expect(stored.payload == Self.payload(seed: seed), "payload of \(id) differs after round \(round)")
                } catch {
                    Issue.record("acknowledged message \(id) lost after round \(round): \(error)")
                }
            }
            #expect(spool.stats().messages >= acknowledged.count)
            try await spool.close()
        }
        #expect(roundsWithAccepts >= rounds * 2 / 3)
        #expect(acknowledged.count > 1000)
    }
}
