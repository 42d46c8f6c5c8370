import Foundation

/// Runs blocking work (waiting for a child process, reading a pipe to its end, `openssl`) on a
/// thread of its own and lets the calling task await it.
///
/// Swift's cooperative pool has one thread per core: two on the CI machine. Swift Testing runs
/// all suites in parallel on that pool, so a test that blocks a pool thread (`waitUntilExit`,
/// `readDataToEndOfFile`, a semaphore) stalls every other test's tasks with it; two such tests
/// at once stop the whole process. That is how the delivery tests saw a job stay `queued` for
/// their full 10 s: the `DeliveryService` under test never got a thread to start on while two
/// end-to-end tests sat in `AmtsboteProcess.run`. Blocking calls in async tests go through here.
package enum OffThePool {
    /// Runs `work` on a new thread; the calling task is suspended (holding no pool thread) until
    /// it returns or throws.
    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// `run` for work that cannot fail.
    package static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
