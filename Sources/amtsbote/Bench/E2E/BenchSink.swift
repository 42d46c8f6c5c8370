import Foundation
import Hummingbird
import Logging
import Synchronization

/// The department system of `bench e2e`: a Hummingbird server on 127.0.0.1 that answers 200 at
/// once and notes when each message first arrived (by the message id in `Idempotency-Key`).
final class BenchSink: Sendable {
    private let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])
    private let requests = Atomic<Int>(0)

    /// How many distinct messages have arrived.
    var distinctCount: Int { arrivals.withLock { $0.count } }
    /// How many requests arrived (duplicates included).
    var requestCount: Int { requests.load(ordering: .relaxed) }

    /// First arrival of message `id`.
    func arrival(of id: String) -> ContinuousClock.Instant? { arrivals.withLock { $0[id] } }

    /// Forgets everything (between phases).
    func reset() {
        arrivals.withLock { $0.removeAll(keepingCapacity: true) }
        requests.store(0, ordering: .relaxed)
    }

    /// Runs the sink while `body` runs; `body` gets the URL to configure as the target.
    func run<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/in") { [self] request, _ -> Response in
            let now = ContinuousClock.now
            self.requests.add(1, ordering: .relaxed)
            if let key = request.headers.first(where: { $0.name.canonicalName == "idempotency-key" })?.value,
                let slash = key.firstIndex(of: "/")
            {
                let id = String(key[..<slash])
                self.arrivals.withLock { arrivals in
                    if arrivals[id] == nil { arrivals[id] = now }
                }
            }
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
