import Foundation
import Testing

@testable import AmtsboteDelivery

/// Deterministic random source so jitter tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RetryPolicyTests {
    @Test func defaultBoundsDoubleFromTenSecondsAndCapAtOneHour() {
        let policy = RetryPolicy()
        let bounds = (1...12).map { policy.bound(afterFailures: $0) }
        #expect(bounds == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600])
        #expect(policy.bound(afterFailures: 10_000) == 3600)
    }

    @Test func fullJitterStaysWithinZeroAndTheBoundAndSpreads() {
        let policy = RetryPolicy()
        var generator = SplitMix64(state: 42)
        let delays = (0..<1000).map { _ in policy.delay(afterFailures: 3, using: &generator) }
        #expect(delays.allSatisfy { $0 >= 0 && $0 <= 40 })
        // Spread: both halves of the range are used (a constant delay would fail this).
        #expect(delays.contains { $0 < 20 } && delays.contains { $0 > 20 })
        let mean = delays.reduce(0, +) / Double(delays.count)
        #expect(abs(mean - 20) < 2)
    }

    @Test func noJitterIsExactlyTheBound() {
        let policy = RetryPolicy(initialDelay: 0.05, multiplier: 3, maximumDelay: 1, jitter: .none)
        var generator = SplitMix64(state: 1)
        #expect(policy.delay(afterFailures: 1, using: &generator) == 0.05)
        #expect(abs(policy.delay(afterFailures: 2, using: &generator) - 0.15) < 1e-9)
        #expect(policy.delay(afterFailures: 5, using: &generator) == 1)
    }

    @Test func retryAfterIsAFloorAndIsCapped() {
        let policy = RetryPolicy(initialDelay: 1, jitter: .none, maximumRetryAfter: 100)
        var generator = SplitMix64(state: 7)
        #expect(policy.delay(afterFailures: 1, retryAfter: 30, using: &generator) == 30)
        #expect(policy.delay(afterFailures: 1, retryAfter: 0.5, using: &generator) == 1)
        #expect(policy.delay(afterFailures: 1, retryAfter: 1e9, using: &generator) == 100)
    }
}
