import AmtsboteSpool
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The operator protocol (`QueueControl`) over HTTP on the admin socket, served by the
/// running server so that `amtsbote queue …` acts on the live spool at once.
///
/// Only reachable through the Unix socket (mode 0600), never on the portal's listener.
/// Errors travel as `{code, message, pid, errno}` and the client rethrows the same `SpoolError`.
package struct AdminRoutes: Sendable {
    private let control: any QueueControl
    private let changeBuffer: Int

    package init(control: any QueueControl, changeBuffer: Int = 10_000) {
        self.control = control
        self.changeBuffer = changeBuffer
    }

    /// Path prefix of every admin endpoint.
    package static let prefix = "/v1/admin"

    package func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware<BasicRequestContext>())
        router.add(middleware: AdminErrorMiddleware())
        let admin = router.group(RouterPath(Self.prefix))
        admin.get("summary") { _, _ in try await self.encode(AdminWire.SummaryDTO(self.control.summary(now: Date()))) }
        admin.get("jobs") { request, _ in
            let target = request.uri.queryParameters["target"].map(String.init)
            let state = try request.uri.queryParameters["state"].map { name -> JobState in
                guard let state = JobState(name: String(name)) else { throw SpoolError(.invalidArgument, "unknown state") }
                return state
            }
            return try await self.encode(self.control.jobs(target: target, state: state).map(AdminWire.JobDTO.init))
        }
        admin.get("messages/{id}") { _, context in
            guard let snapshot = try await self.control.message(try Self.id(context)) else {
                throw SpoolError(.unknownID, "no message with this id")
            }
            return try self.encode(AdminWire.MessageDTO(snapshot))
        }
        admin.get("messages/{id}/payload") { _, context in
            try await self.encode(AdminWire.PayloadDTO(self.control.payload(try Self.id(context))))
        }
        admin.post("submit") { request, _ in
            let message = try await Self.decode(AdminWire.NewMessageDTO.self, request).value
            return try await self.encode(AdminWire.ReceiptDTO(self.control.submit(message)))
        }
        for operation in ["hold", "release", "retry", "delete"] {
            admin.post(RouterPath(operation)) { request, _ in
                let selection = try await Self.decode(AdminWire.SelectionDTO.self, request).value()
                let count: Int
                switch operation {
                case "hold": count = try await self.control.hold(selection)
                case "release": count = try await self.control.release(selection)
                case "retry": count = try await self.control.retry(selection)
                default: count = try await self.control.delete(selection)
                }
                return try self.encode(AdminWire.CountDTO(count: count))
            }
        }
        admin.post("purge") { request, _ in
            let purge = try await Self.decode(AdminWire.PurgeRequestDTO.self, request)
            return try await self.encode(AdminWire.PurgeReportDTO(self.control.purge(olderThan: .nanoseconds(purge.olderThanNs), dryRun: purge.dryRun)))
        }
        admin.get("changes") { _, _ in try await self.changes() }
        return router
    }

    /// JSON Lines, one `ChangeDTO` per job state change, until the client goes away or the
    /// server shuts down (so an open `queue watch` never holds up a graceful shutdown).
    private func changes() async throws -> Response {
        let changes = try await self.control.changes()
        let bufferSize = self.changeBuffer
        let body = ResponseBody { writer in
            let (relay, continuation) = AsyncStream.makeStream(of: JobChange.self, bufferingPolicy: .bufferingNewest(bufferSize))
            try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await change in changes { continuation.yield(change) }
                        continuation.finish()
                    }
                    let encoder = JSONEncoder()
                    for await change in relay {
                        var line = try encoder.encode(AdminWire.ChangeDTO(change))
                        line.append(0x0A)
                        try await writer.write(ByteBuffer(bytes: line))
                    }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/jsonl"], body: body)
    }

    private static func id(_ context: BasicRequestContext) throws -> MessageID {
        guard let text = context.parameters.get("id"), let id = MessageID(text) else {
            throw SpoolError(.unknownID, "no message with this id")
        }
        return id
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: 64 << 20)
        do {
            return try JSONDecoder().decode(type, from: Data(body.readableBytesView))
        } catch {
            throw SpoolError(.invalidArgument, "the admin request body is not valid")
        }
    }

    private func encode(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .contentLength: String(data.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
