import Foundation
import Testing

/// `serve`'s allocator tuning in a fresh process (`amtsbote bench malloc-probe`), where no freed
/// memory of other tests can serve a large block: with glibc's defaults, freeing a 4 MiB mmapped
/// block raises the mmap threshold and the next 512 KiB block comes from an arena (the growth
/// `docs/bench-e2e.md` measured); with the tuning it is mmapped again.
@Suite("Allocator tuning (fresh process)")
struct AllocatorTuningProcessTests {
    @Test("With the tuning, a large block after a freed larger one is still mmapped")
    func tunedLargeBlocksStayMapped() async throws {
        let result = try await AmtsboteProcess.run(["bench", "malloc-probe"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text.trimmingCharacters(in: .whitespacesAndNewlines) == "first=mapped second=mapped")
    }

    @Test("Without it, glibc's dynamic threshold moves the next large block into an arena")
    func defaultsMoveLargeBlocksIntoAnArena() async throws {
        let result = try await AmtsboteProcess.run(["bench", "malloc-probe", "--no-tuning"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text.trimmingCharacters(in: .whitespacesAndNewlines) == "first=mapped second=arena")
    }
}
