import AmtsboteDelivery
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import AmtsboteServer

#if canImport(Glibc)
import Glibc
#endif

/// A real `ServeRuntime` (spool, mappings, delivery, admin socket, portal listener on
/// 127.0.0.1 with an ephemeral port) in a fresh temp directory, for one test.
///
/// Every run ends by checking the server's log for the samples' personal values.
struct TestServer: Sendable {
    static let tokenA = "token-of-portal-a"
    static let tokenB = "token-of-portal-b"
    static let tokenStatusOnly = "token-status-only"

    let runtime: ServeRuntime
    let port: Int
    let directory: URL

    var baseURL: String { "http://127.0.0.1:\(self.port)" }
    var adminSocket: String { self.runtime.configuration.adminSocketPath }

    /// Starts a server, runs `body`, shuts the server down gracefully, removes everything.
    static func with(
        configure: (inout ServerConfiguration, URL) throws -> Void = { _, _ in },
        _ body: (TestServer) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            let mappings = directory.appendingPathComponent("mappings")
            try FileManager.default.copyItem(at: RepositoryPaths.root.appendingPathComponent("mappings"), to: mappings)
            let out = directory.appendingPathComponent("out").path
            var configuration = ServerConfiguration(
                listen: .init(host: "127.0.0.1", port: 0),
                spoolDirectory: directory.appendingPathComponent("spool").path,
                mappingsDirectory: mappings.path,
                disk: DiskConfiguration(minimumFreeBytes: 0),
                clients: [
                    PortalClient(name: "portal-a", tokenDigest: TokenDigest(token: tokenA)),
                    PortalClient(name: "portal-b", tokenDigest: TokenDigest(token: tokenB)),
                    PortalClient(name: "status-only", tokenDigest: TokenDigest(token: tokenStatusOnly), scopes: [.status]),
                ],
                targets: try TargetConfiguration.targets(
                    fromYAML: """
                        targets:
                          gewerbeamt: {kind: file, directory: \(out)/gewerbeamt}
                          hundesteuer: {kind: file, directory: \(out)/hundesteuer}
                          versorgungsamt: {kind: file, directory: \(out)/versorgungsamt}
                          abfallwirtschaft: {kind: file, directory: \(out)/abfallwirtschaft}
                        """,
                    file: "test.yaml"
                ),
                mappingsReloadInterval: .milliseconds(200)
            )
            try configure(&configuration, directory)
            let logPath = directory.appendingPathComponent("server.log").path
            let descriptor = open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            let output = LogOutput(descriptor: descriptor)
            defer { close(descriptor) }
            let logger = Logger(label: "amtsbote") { LogLineHandler(label: $0, format: .json, level: .info, output: output) }
            let runtime = try await ServeRuntime.open(configuration: configuration, logger: logger, metrics: ServerMetrics())
            let group = runtime.serviceGroup(gracefulShutdownSignals: [])
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let server = TestServer(runtime: runtime, port: await runtime.portalAddress.port(), directory: directory)
                if configuration.admin.enabled { await runtime.adminReady.wait() }
                do {
                    try await body(server)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            try PersonalData.expectAbsent(fromLogAt: logPath)
        }
    }

    // MARK: Requests

    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: self.body) as? [String: Any]) ?? [:] }
        var text: String { String(decoding: self.body, as: UTF8.self) }
    }

    func request(
        _ method: HTTPMethod,
        _ path: String,
        token: String? = TestServer.tokenA,
        headers: [(String, String)] = [],
        body: Data? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: self.baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(data.readableBytesView))
    }

    func submit(_ body: Data, contentType: String, token: String? = TestServer.tokenA, headers: [(String, String)] = []) async throws -> Answer {
        try await self.request(.POST, "/v1/submissions", token: token, headers: [("Content-Type", contentType)] + headers, body: body)
    }
}
