import Foundation
import Hummingbird
import HummingbirdTLS
import NIOSSL
import Synchronization

/// Test support shared by the delivery and end-to-end tests.
///
/// A real HTTP server on 127.0.0.1 (ephemeral port) that plays a department system: it records
/// every request and answers as the test's script says (status, Retry-After, or never).
package final class HTTPSink: Sendable {
    package struct Received: Sendable {
        package var method: String
        package var idempotencyKey: String?
        package var contentType: String?
        package var authorization: String?
        package var mandant: String?
        package var body: Data
        package var at: Date
    }

    package enum Reply: Sendable {
        case status(Int, retryAfter: String? = nil)
        /// Answers with `status` after `delay`.
        case delayed(Duration, status: Int)
        /// Never answers (until the server shuts down).
        case hang
    }

    private let log = Mutex<[Received]>([])
    private let script: @Sendable (_ requestIndex: Int) -> Reply

    private init(script: @escaping @Sendable (Int) -> Reply) {
        self.script = script
    }

    package var received: [Received] { log.withLock { $0 } }

    /// A request header by lower-case name (names outside HTTPTypes' predefined set).
    private static func header(_ fields: HTTPFields, _ name: String) -> String? {
        fields.first { $0.name.canonicalName == name }?.value
    }

    /// Runs a sink for the duration of `body`, passing the URL to post to (`http://127.0.0.1:PORT/in`).
    ///
    /// - Parameter tls: serve HTTPS with this configuration (the URL is then `https://`).
    package static func with<T: Sendable>(
        script: @escaping @Sendable (Int) -> Reply = { _ in .status(200) },
        tls: TLSConfiguration? = nil,
        _ body: @Sendable (HTTPSink, URL) async throws -> T
    ) async throws -> T {
        let sink = HTTPSink(script: script)
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let bytes = try await request.body.collect(upTo: 64 << 20)
            let index = sink.log.withLock { log -> Int in
                log.append(
                    Received(
                        method: request.method.rawValue,
                        idempotencyKey: Self.header(request.headers, "idempotency-key"),
                        contentType: request.headers[.contentType],
                        authorization: request.headers[.authorization],
                        mandant: Self.header(request.headers, "x-mandant"),
                        body: Data(buffer: bytes),
                        at: Date()
                    )
                )
                return log.count - 1
            }
            switch sink.script(index) {
            case .status(let code, let retryAfter):
                var headers = HTTPFields()
                if let retryAfter { headers[.retryAfter] = retryAfter }
                return Response(status: .init(code: code), headers: headers)
            case .delayed(let delay, let status):
                try await Task.sleep(for: delay)
                return Response(status: .init(code: status))
            case .hang:
                try await Task.sleep(for: .seconds(3600))
                return Response(status: .ok)
            }
        }
        router.post("/in", use: handler)
        router.put("/in", use: handler)
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            server: try tls.map { try .tls(tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next(), port > 0 else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body(sink, URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)/in")!)
        }
    }
}

extension Data {
    package init(buffer: ByteBuffer) {
        self = buffer.withUnsafeReadableBytes { Data($0) }
    }
}
