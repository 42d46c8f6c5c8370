import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A free TCP port on 127.0.0.1 (bound once and released; good enough for tests on one machine).
private func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    let named = withUnsafeMutablePointer(to: &address) { getsockname(fd, UnsafeMutableRawPointer($0).assumingMemoryBound(to: sockaddr.self), &length) }
    guard named == 0 else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// One `amtsbote serve` in a work directory with its own config/, mappings/ and spool/.
final class ServeProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test task that owns this value.
    let directory: URL
    let port: Int
    private var process: Process?

    /// The token of the shipped local-only client (its SHA-256 is in the config written below).
    static let token = "amtsbote-local-only-token-do-not-use-in-production"
    static let tokenSHA256 = "4e443016ec2ae2c047acd8ff8b61e41b3bb613e60d4084e9ba7ca05da3330be8"

    /// Writes config/amtsbote.yaml (with `targets` as the YAML of the `targets:` section) and
    /// `mappings` (file name → YAML).
    init(directory: URL, targetsYAML: String, mappings: [String: String]) throws {
        self.directory = directory
        self.port = try freePort()
        let fileManager = FileManager.default
        for sub in ["config", "mappings"] {
            try fileManager.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let config = """
            listen:
              host: 127.0.0.1
              port: \(port)
            spool: spool
            mappings: mappings
            mappingsReloadInterval: 200ms
            portal:
              clients:
                - name: e2e-portal
                  tokenSHA256: \(Self.tokenSHA256)
                  scopes: [submit, status]
            log:
              format: text
              level: info
            targets:
            \(targetsYAML)
            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("config/amtsbote.yaml"))
        for (name, text) in mappings {
            try Data(text.utf8).write(to: directory.appendingPathComponent("mappings/\(name)"))
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `amtsbote serve` and waits until `/readyz` answers 200.
    func start(client: HTTPClient) async throws {
        let process = Process()
        process.executableURL = AmtsboteProcess.executable
        process.arguments = ["serve", "--config", "config/amtsbote.yaml"]
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("serve.log")
        if !FileManager.default.fileExists(atPath: log.path) { FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ServeError("serve exited with \(process.terminationStatus): \(logTail())") }
            if let response = try? await client.execute(HTTPClientRequest(url: "\(baseURL)/readyz"), timeout: .seconds(1)),
                response.status.code == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServeError("serve not ready within 30 s: \(logTail())")
    }

    /// SIGKILL: no shutdown code runs.
    func kill9() async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        await process.exited()
    }

    /// SIGTERM and wait for the exit status.
    @discardableResult
    func terminate() async -> Int32 {
        guard let process else { return 0 }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        await process.exited()
        return process.terminationStatus
    }

    /// POSTs a JSON submission; returns the message id from the receipt.
    func submit(_ json: String, client: HTTPClient) async throws -> String {
        var request = HTTPClientRequest(url: "\(baseURL)/v1/submissions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 202,
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let id = object["id"] as? String
        else {
            throw ServeError("submission not accepted: \(response.status.code) \(String(buffer: body))")
        }
        return id
    }

    /// `amtsbote queue ARGUMENTS --spool spool` against this instance (the running server when it holds the lock).
    func queue(_ arguments: [String]) async throws -> AmtsboteProcess.Result {
        try await AmtsboteProcess.run(["queue"] + arguments + ["--spool", "spool"], in: directory)
    }

    /// The state of a job as the portal's status endpoint shows it (`GET /v1/submissions/ID`);
    /// nil when the message or the job is gone.
    func jobState(_ id: String, target: String, client: HTTPClient) async throws -> String? {
        var request = HTTPClientRequest(url: "\(baseURL)/v1/submissions/\(id)")
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        let response = try await client.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 200,
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let targets = object["targets"] as? [[String: Any]]
        else { return nil }
        return targets.first { $0["target"] as? String == target }?["state"] as? String
    }

    /// The Prometheus text of `GET /metrics`.
    func metrics(client: HTTPClient) async throws -> String {
        var request = HTTPClientRequest(url: "\(baseURL)/metrics")
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        let response = try await client.execute(request, timeout: .seconds(5))
        return String(buffer: try await response.body.collect(upTo: 4 << 20))
    }

    func logTail() -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}

struct ServeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
