import Synchronization

/// Whether the server is still taking submissions. Flipped once when graceful shutdown
/// begins, so requests that arrive on already-open connections during the drain get
/// 503 `shutting-down` (with Retry-After) instead of racing the spool's close.
package final class ServerLifecycle: Sendable {
    private let shuttingDown = Atomic<Bool>(false)

    package init() {}

    /// True once `beginShutdown()` was called.
    package var isShuttingDown: Bool { self.shuttingDown.load(ordering: .acquiring) }

    /// Marks the server as draining. Idempotent.
    package func beginShutdown() {
        self.shuttingDown.store(true, ordering: .releasing)
    }
}
