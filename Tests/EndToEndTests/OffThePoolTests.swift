import AmtsboteTestSupport
import Foundation
import Testing

/// The child-process helpers must not hold a thread of Swift's cooperative pool while they wait:
/// with one pool thread per core, a few tests waiting for children at once stalled every other
/// suite (a delivery test's `DeliveryService` did not start within 10 s, its job stayed `queued`).
@Suite(.timeLimit(.minutes(1))) struct OffThePoolTests {
    /// More children waiting at once than the pool has threads; a heartbeat task keeps ticking
    /// meanwhile. A helper that waits on the pool leaves the heartbeat no thread for the children's
    /// full 3 s.
    @Test func waitingForMoreChildrenThanCoresLeavesThePoolFree() async throws {
        let children = ProcessInfo.processInfo.activeProcessorCount + 1
        let started = ContinuousClock.now
        let longestGap = try await withThrowingTaskGroup(of: Duration?.self) { group in
            for _ in 0..<children {
                group.addTask {
                    let result = try await AmtsboteProcess.runShell("exec sleep 3")
                    #expect(result.status == 0)
                    return nil
                }
            }
            group.addTask {
                var last = ContinuousClock.now
                var longest = Duration.zero
                while ContinuousClock.now - started < .milliseconds(2500) {
                    try await Task.sleep(for: .milliseconds(10))
                    let now = ContinuousClock.now
                    longest = max(longest, now - last)
                    last = now
                }
                return longest
            }
            var gap: Duration?
            for try await result in group where result != nil { gap = result }
            return try #require(gap)
        }
        // 1.5 s: half the children's sleep, and loose enough for a loaded CI machine.
        #expect(longestGap < .milliseconds(1500), "heartbeat stalled for \(longestGap)")
    }
}
