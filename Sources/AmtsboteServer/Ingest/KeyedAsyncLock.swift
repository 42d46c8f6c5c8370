import Synchronization

/// Mutual exclusion per key, for async code: at most one task at a time runs the body for a
/// given key, others wait in arrival order.
///
/// Used for `Idempotency-Key`: two concurrent requests with the same key must not both find
/// "not seen yet" and both be accepted. Keys are compared as bytes (`[UInt8]`), never with
/// `String ==`, which would treat composed and decomposed umlauts as the same key.
package final class KeyedAsyncLock: Sendable {
    package struct Key: Hashable, Sendable {
        package let scope: [UInt8]
        package let key: [UInt8]

        package init(scope: String, key: String) {
            self.scope = Array(scope.utf8)
            self.key = Array(key.utf8)
        }
    }

    /// Keys currently held, with the tasks waiting for each.
    private let holders = Mutex<[Key: [CheckedContinuation<Void, Never>]]>([:])

    package init() {}

    /// Runs `body` while holding `key`.
    package func withLock<T: Sendable>(_ key: Key, _ body: () async throws -> T) async throws -> T {
        await self.acquire(key)
        defer { self.release(key) }
        return try await body()
    }

    /// Number of keys held right now (tests and metrics).
    package var heldCount: Int { self.holders.withLock { $0.count } }

    private func acquire(_ key: Key) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = self.holders.withLock { holders -> Bool in
                if holders[key] == nil {
                    holders[key] = []
                    return true
                }
                holders[key]!.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func release(_ key: Key) {
        let next = self.holders.withLock { holders -> CheckedContinuation<Void, Never>? in
            guard var waiters = holders[key], !waiters.isEmpty else {
                holders[key] = nil
                return nil
            }
            let first = waiters.removeFirst()
            holders[key] = waiters
            return first
        }
        // Ownership passes directly to the next waiter; the key stays held.
        next?.resume()
    }
}
