import AmtsboteSpool
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

/// `QueueControl` over a running server's admin socket: what `amtsbote queue …` uses while
/// `serve` holds the spool's lock, so an operator's `hold` acts on the live server at once and
/// only the server ever writes the log.
package final class RemoteQueueControl: QueueControl {
    /// The socket path.
    package let socketPath: String
    private let timeout: TimeAmount

    package init(socketPath: String, timeout: TimeAmount = .seconds(60)) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// The file in the spool directory where a running `serve` names its admin socket
    /// (`admin.socket` may be configured anywhere, not only inside the spool).
    package static let addressFileName = "admin.address"

    /// The admin socket of the server holding `spoolDirectory`: the path the server wrote to
    /// `admin.address` when it published its socket, else the default `<spool>/admin.sock`.
    package static func socketPath(spoolDirectory: String) -> String {
        let addressFile = spoolDirectory + "/" + Self.addressFileName
        if let data = FileManager.default.contents(atPath: addressFile), data.count <= 4096 {
            let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if path.hasPrefix("/") { return path }
        }
        return spoolDirectory + "/admin.sock"
    }

    /// A client for the server answering on `socketPath`, or nil if nothing accepts connections there.
    package static func ifServing(socketPath: String) -> RemoteQueueControl? {
        Self.accepts(socketPath: socketPath) ? RemoteQueueControl(socketPath: socketPath) : nil
    }

    /// True if a process accepts connections on the socket (a plain connect, closed at once).
    package static func accepts(socketPath: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
            buffer[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }

    // MARK: QueueControl

    package func submit(_ message: NewMessage) async throws -> Receipt {
        try await self.post("submit", AdminWire.NewMessageDTO(message), as: AdminWire.ReceiptDTO.self).value()
    }

    package func summary(now: Date) async throws -> QueueSummary {
        try await self.get("summary", as: AdminWire.SummaryDTO.self).value()
    }

    package func jobs(target: String?, state: JobState?) async throws -> [JobSnapshot] {
        var query: [String] = []
        if let target { query.append("target=\(Self.encodeQuery(target))") }
        if let state { query.append("state=\(state.description)") }
        let path = query.isEmpty ? "jobs" : "jobs?" + query.joined(separator: "&")
        return try await self.get(path, as: [AdminWire.JobDTO].self).map { try $0.value() }
    }

    package func message(_ id: MessageID) async throws -> MessageSnapshot? {
        do {
            return try await self.get("messages/\(id)", as: AdminWire.MessageDTO.self).value()
        } catch let error as SpoolError where error.code == .unknownID {
            return nil
        }
    }

    package func payload(_ id: MessageID) async throws -> MessagePayload {
        try await self.get("messages/\(id)/payload", as: AdminWire.PayloadDTO.self).value
    }

    package func hold(_ selection: JobSelection) async throws -> Int { try await self.operate("hold", selection) }
    package func release(_ selection: JobSelection) async throws -> Int { try await self.operate("release", selection) }
    package func retry(_ selection: JobSelection) async throws -> Int { try await self.operate("retry", selection) }
    package func delete(_ selection: JobSelection) async throws -> Int { try await self.operate("delete", selection) }

    package func purge(olderThan age: Duration, dryRun: Bool) async throws -> PurgeReport {
        let (seconds, attoseconds) = age.components
        let request = AdminWire.PurgeRequestDTO(olderThanNs: seconds * 1_000_000_000 + attoseconds / 1_000_000_000, dryRun: dryRun)
        return try await self.post("purge", request, as: AdminWire.PurgeReportDTO.self).value()
    }

    /// Streams the server's job changes; ends when the server stops or the stream is dropped.
    package func changes() async throws -> AsyncStream<JobChange> {
        let response = try await self.send(path: "changes", method: .GET, body: nil, deadline: .distantFuture)
        let (stream, continuation) = AsyncStream.makeStream(of: JobChange.self, bufferingPolicy: .bufferingNewest(10_000))
        let reader = Task {
            var pending: [UInt8] = []
            let decoder = JSONDecoder()
            do {
                for try await buffer in response.body {
                    pending.append(contentsOf: buffer.readableBytesView)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        let line = Data(pending[..<newline])
                        pending.removeSubrange(...newline)
                        if let change = try? decoder.decode(AdminWire.ChangeDTO.self, from: line).value() {
                            continuation.yield(change)
                        }
                    }
                }
            } catch {}
            continuation.finish()
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }

    package func close() async throws {}

    // MARK: Transport

    private func operate(_ operation: String, _ selection: JobSelection) async throws -> Int {
        try await self.post(operation, AdminWire.SelectionDTO(selection), as: AdminWire.CountDTO.self).count
    }

    private func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try await self.decode(type, self.send(path: path, method: .GET, body: nil, deadline: .now() + self.timeout))
    }

    private func post<T: Decodable>(_ path: String, _ body: some Encodable, as type: T.Type) async throws -> T {
        let data = try JSONEncoder().encode(body)
        return try await self.decode(type, self.send(path: path, method: .POST, body: data, deadline: .now() + self.timeout))
    }

    private func send(path: String, method: HTTPMethod, body: Data?, deadline: NIODeadline) async throws -> HTTPClientResponse {
        guard let url = URL(httpURLWithSocketPath: self.socketPath, uri: AdminRoutes.prefix + "/" + path) else {
            throw SpoolError(.invalidArgument, "admin socket path \(self.socketPath) cannot be used")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, deadline: deadline)
        } catch {
            throw SpoolError(.readFailed, "the server's admin socket \(self.socketPath) did not answer (\(error))")
        }
        guard response.status == .ok else {
            let data = try await response.body.collect(upTo: 1 << 20)
            if let error = try? JSONDecoder().decode(AdminWire.ErrorDTO.self, from: Data(data.readableBytesView)) {
                throw error.value
            }
            throw SpoolError(.readFailed, "the server's admin socket answered \(response.status.code)")
        }
        return response
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: HTTPClientResponse) async throws -> T {
        let data = try await response.body.collect(upTo: 256 << 20)
        do {
            return try JSONDecoder().decode(type, from: Data(data.readableBytesView))
        } catch {
            throw SpoolError(.readFailed, "the server's admin socket sent an unreadable answer")
        }
    }

    private static func encodeQuery(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
    }
}
