import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Runs a cleanup when the bench is interrupted (SIGINT, SIGTERM), then lets the signal end the
/// process as it would have. Without it an interrupted `bench e2e --sink nginx` skips every
/// `defer`, and nginx keeps running with its port and temporary directory.
///
/// While installed the two signals are ignored at the process level (so the dispatch sources see
/// them); the children this bench starts install their own handlers (nginx, `serve`'s service
/// lifecycle), so they stop on them as before.
final class InterruptCleanup: @unchecked Sendable {
    // @unchecked: `sources` is set in init and only cancelled afterwards (DispatchSource is
    // thread-safe but not marked Sendable).
    private let sources: [any DispatchSourceSignal]

    init(_ cleanup: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                cleanup()
                signal(number, SIG_DFL)
                // To the process, not `raise` (this thread): dispatch's threads block signals.
                kill(getpid(), number)
            }
            source.resume()
            return source
        }
    }

    /// Restores the default dispositions (the cleanup has run on the normal path).
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
