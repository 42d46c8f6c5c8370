import Foundation
import Hummingbird
import Logging
import Synchronization

/// The department system of `bench e2e` (light load always; throughput unless `--sink nginx`): a
/// Hummingbird server on 127.0.0.1 that answers 200 at once and counts, per message id (from `Idempotency-Key`), how many requests arrived and when
/// the first one did.
///
/// Request count and per-id counts (a `SinkTally`) live under one lock and are updated (and reset) together: with
/// two separately updated counters, a request racing `reset()` was counted in one and not the
/// other, which printed 19,999 requests for 20,000 messages.
final class BenchSink: ThroughputSink {
    private let tally = Mutex(SinkTally<ContinuousClock.Instant>())
    private let address = Mutex<URL?>(nil)

    /// Where the sink listens (set once `run` has started it).
    var url: URL { address.withLock { $0 } ?? URL(string: "http://127.0.0.1:0/in")! }

    var arrivalClock: String { "Hummingbird sink in the bench process, monotonic clock" }

    /// How many distinct messages have arrived.
    var distinctCount: Int { tally.withLock { $0.firstArrival.count } }
    /// How many requests arrived (duplicates and requests without a key included).
    var requestCount: Int { tally.withLock { $0.requests } }

    /// First arrival of message `id`.
    func arrival(of id: String) -> ContinuousClock.Instant? { tally.withLock { $0.firstArrival[id] } }

    /// Forgets everything (between phases), atomically with respect to arriving requests.
    func reset() { tally.withLock { $0.reset() } }

    /// Nothing to do: requests are counted as they arrive.
    func refresh() {}

    func hasArrived(_ id: String) -> Bool { arrival(of: id) != nil }

    func secondsToLastArrival(of ids: [String], since start: BenchStart) -> Double? {
        tally.withLock { $0.lastArrival(of: ids) }.map { ($0 - start.instant).seconds }
    }

    func counts() -> SinkCounts { tally.withLock { $0.counts } }

    func notes() -> String? { nil }

    /// Runs the sink while `body` runs; `body` gets the URL to configure as the target.
    func run<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/in") { [self] request, _ -> Response in
            let now = ContinuousClock.now
            let key = request.headers.first(where: { $0.name.canonicalName == "idempotency-key" })?.value
            let id = key.flatMap { SinkTally<ContinuousClock.Instant>.messageID(fromKey: $0[...]) }
            self.tally.withLock { $0.note(id: id, at: now) }
            // Drain the body so the connection is reusable.
            for try await _ in request.body {}
            return Response(status: .ok)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "bench-sink")
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw BenchE2EError("the sink did not start") }
            defer { group.cancelAll() }
            let url = URL(string: "http://127.0.0.1:\(port)/in")!
            address.withLock { $0 = url }
            return try await body(url)
        }
    }
}
