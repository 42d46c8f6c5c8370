import Synchronization

/// What the submitting tasks of one phase share: the next index to post, failures, and when each
/// accepted submission was sent and acknowledged.
final class BenchRecorder: Sendable {
    struct Sent: Sendable {
        var id: String
        var sent: ContinuousClock.Instant
        var acknowledged: ContinuousClock.Instant
    }

    private let nextIndex = Atomic<Int>(0)
    private let failureCount = Atomic<Int>(0)
    private let sentLog = Mutex<[Sent]>([])

    /// Hands out 0, 1, 2, … to concurrent submitters.
    func takeIndex() -> Int { nextIndex.add(1, ordering: .relaxed).oldValue }

    func recordFailure() { failureCount.add(1, ordering: .relaxed) }

    func record(_ sent: Sent) { sentLog.withLock { $0.append(sent) } }

    var failures: Int { failureCount.load(ordering: .relaxed) }

    var sent: [Sent] { sentLog.withLock { $0 } }
}
