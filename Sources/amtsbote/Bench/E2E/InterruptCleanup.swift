import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs a cleanup when the bench is interrupted (SIGINT, SIGTERM), then lets the signal end the
/// process as it would have. Without it an interrupted `bench e2e` skips every `defer`: nginx
/// and the `serve` under test keep running with their ports and directories.
///
/// Cleanups registered at the same time (nginx, then a server) all run, the newest first, before
/// the signal ends the process. While any is registered the two signals are ignored at the
/// process level (so the dispatch sources see them); the children this bench starts install
/// their own handlers (nginx, `serve`'s service lifecycle), so they stop on them as before.
final class InterruptCleanup: Sendable {
    private struct Registry {
        var cleanups: [(id: Int, run: @Sendable () -> Void)] = []
        var nextID = 0
        var sources: [any DispatchSourceSignal] = []
        var interrupted = false
    }

    private static let registry = Mutex(Registry())
    private let id: Int

    init(_ cleanup: @escaping @Sendable () -> Void) {
        id = Self.registry.withLock { registry in
            defer { registry.nextID += 1 }
            registry.cleanups.append((registry.nextID, cleanup))
            if registry.sources.isEmpty { registry.sources = [SIGINT, SIGTERM].map(Self.source) }
            return registry.nextID
        }
    }

    /// Unregisters the cleanup (it has run on the normal path); the last one out restores the
    /// default dispositions.
    func cancel() {
        Self.registry.withLock { registry in
            registry.cleanups.removeAll { $0.id == id }
            guard registry.cleanups.isEmpty, !registry.interrupted else { return }
            for source in registry.sources { source.cancel() }
            registry.sources = []
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
    }

    private static func source(_ number: Int32) -> any DispatchSourceSignal {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            // A second signal while the cleanups run changes nothing.
            let cleanups: [@Sendable () -> Void]? = registry.withLock { registry in
                guard !registry.interrupted else { return nil }
                registry.interrupted = true
                return registry.cleanups.reversed().map(\.run)
            }
            guard let cleanups else { return }
            for cleanup in cleanups { cleanup() }
            signal(number, SIG_DFL)
            // To the process, not `raise` (this thread): dispatch's threads block signals.
            kill(getpid(), number)
        }
        source.resume()
        return source
    }
}
