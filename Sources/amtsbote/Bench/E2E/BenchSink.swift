import Foundation
import Hummingbird
import Logging
import Synchronization

/// The department system of `bench e2e`: a Hummingbird server on 127.0.0.1 that answers 200 at
/// once and counts, per message id (from `Idempotency-Key`), how many requests arrived and when
/// the first one did.
///
/// Request count and per-id counts live under one lock and are updated (and reset) together: with
/// two separately updated counters, a request racing `reset()` was counted in one and not the
/// other, which printed 19,999 requests for 20,000 messages.
final class BenchSink: Sendable {
    private struct Tally {
        var firstArrival: [String: ContinuousClock.Instant] = [:]
        var requestsPerID: [String: Int] = [:]
        var requests = 0
    }

    /// A message that reached the sink more than once.
    struct Duplicate: Sendable {
        var id: String
        var requests: Int
    }

    private let tally = Mutex(Tally())

    /// How many distinct messages have arrived.
    var distinctCount: Int { tally.withLock { $0.firstArrival.count } }
    /// How many requests arrived (duplicates and requests without a key included).
    var requestCount: Int { tally.withLock { $0.requests } }

    /// First arrival of message `id`.
    func arrival(of id: String) -> ContinuousClock.Instant? { tally.withLock { $0.firstArrival[id] } }

    /// How many requests carried message `id`.
    func requests(for id: String) -> Int { tally.withLock { $0.requestsPerID[id] ?? 0 } }

    /// Every message that arrived more than once since the last reset (sorted by id).
    var duplicates: [Duplicate] {
        tally.withLock { tally in
            tally.requestsPerID.filter { $0.value > 1 }.map { Duplicate(id: $0.key, requests: $0.value) }
        }.sorted { $0.id < $1.id }
    }

    /// Forgets everything (between phases), atomically with respect to arriving requests.
    func reset() {
        tally.withLock { tally in
            tally.firstArrival.removeAll(keepingCapacity: true)
            tally.requestsPerID.removeAll(keepingCapacity: true)
            tally.requests = 0
        }
    }

    private func note(id: String?, at now: ContinuousClock.Instant) {
        tally.withLock { tally in
            tally.requests += 1
            guard let id else { return }
            tally.requestsPerID[id, default: 0] += 1
            if tally.firstArrival[id] == nil { tally.firstArrival[id] = now }
        }
    }

    /// Runs the sink while `body` runs; `body` gets the URL to configure as the target.
    func run<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/in") { [self] request, _ -> Response in
            let now = ContinuousClock.now
            let key = request.headers.first(where: { $0.name.canonicalName == "idempotency-key" })?.value
            self.note(id: key.flatMap { key in key.firstIndex(of: "/").map { String(key[..<$0]) } }, at: now)
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
            return try await body(URL(string: "http://127.0.0.1:\(port)/in")!)
        }
    }
}
