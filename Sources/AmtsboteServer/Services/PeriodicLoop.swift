import ServiceLifecycle

/// Runs work every `interval` until graceful shutdown or cancellation — the shape of every
/// background duty of `serve` (disk sampling, mapping reload, purge).
///
/// Written against `Task.sleep` instead of swift-async-algorithms' timer, which is not among
/// the project's dependencies.
package enum PeriodicLoop {
    /// Sleeps `interval`, runs `body`, repeats; returns once graceful shutdown was triggered or
    /// the task was cancelled (the sleep is cut short in both cases).
    package static func run(every interval: Duration, _ body: @escaping @Sendable () async -> Void) async {
        _ = try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                await body()
            }
        }
    }
}
