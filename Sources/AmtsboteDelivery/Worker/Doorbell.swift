import Foundation
import Synchronization

/// Wakes one waiting dispatcher: rung when a target's queue changed (new job, operator `retry`,
/// `release`), when a delivery finished (a worker slot is free) or on shutdown.
///
/// A ring while nobody waits is remembered (one pending ring), so the check-then-wait race
/// ("queue empty" → new job arrives → start waiting) cannot lose a wake-up. There is no polling:
/// a waiter sleeps until it is rung or its deadline (the next due date) passes.
package final class Doorbell: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var waiterID: UInt64 = 0
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// Wakes the waiter, or makes the next `wait` return at once.
    package func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns when rung, when `deadline` passes (nil = no deadline), or when the task is cancelled.
    /// Only one task waits on a doorbell at a time (its target's dispatcher).
    package func wait(until deadline: Date?) async {
        if state.withLock({ state in
            defer { state.pending = false }
            return state.pending
        }) {
            return
        }
        guard let deadline else {
            await waitForRing()
            return
        }
        let interval = deadline.timeIntervalSinceNow
        guard interval > 0 else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask { try? await Task.sleep(for: .nanoseconds(Int64(min(interval, 86_400) * 1_000_000_000))) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    // Rung, or cancelled, between the check above and here.
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    state.waiterID = id
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard state.waiterID == id, let waiter = state.waiter else { return nil }
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }
    }
}
