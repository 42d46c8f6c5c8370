import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#endif

/// A real `amtsbote serve` child process for ServeTests in a test directory: its own config (port 0),
/// spool, mappings copy and `./out/` file targets; standard error goes to `serve.log`.
final class ServeTestProcess: @unchecked Sendable {
    static let token = "e2e-portal-token"
    static let repository = AmtsboteProcess.repositoryRoot

    let directory: URL
    private(set) var process: Process?
    private(set) var port = 0

    var logURL: URL { self.directory.appendingPathComponent("serve.log") }
    var spoolPath: String { self.directory.appendingPathComponent("spool").path }
    var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// Prepares the directory (config, mappings); does not start anything.
    /// - Parameter extraConfig: more top-level YAML keys for `amtsbote.yaml`.
    init(directory: URL, extraConfig: String = "") async throws {
        self.directory = directory
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("mappings"), to: directory.appendingPathComponent("mappings"))
        let digest = await Self.sha256Hex(Self.token)
        let config = """
            listen: {host: 127.0.0.1, port: 0}
            spool: spool
            mappings: mappings
            disk: {minimumFree: 0}
            portal:
              clients:
                - {name: e2e-portal, tokenSHA256: \(digest)}
            log: {format: json, level: info}
            targets:
              gewerbeamt: {kind: file, directory: ./out/gewerbeamt}
              hundesteuer: {kind: file, directory: ./out/hundesteuer}
              versorgungsamt: {kind: file, directory: ./out/versorgungsamt}
              abfallwirtschaft: {kind: file, directory: ./out/abfallwirtschaft}
            \(extraConfig)
            """
        try config.write(to: directory.appendingPathComponent("amtsbote.yaml"), atomically: true, encoding: .utf8)
    }

    /// Starts the server and waits until the portal listener and the admin socket are up.
    func start() async throws {
        let process = Process()
        process.executableURL = AmtsboteProcess.executable
        process.arguments = ["serve", "--config", "amtsbote.yaml"]
        process.currentDirectoryURL = self.directory
        if !FileManager.default.fileExists(atPath: self.logURL.path) {
            FileManager.default.createFile(atPath: self.logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: self.logURL)
        try log.seekToEnd()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        let offset = (try? Data(contentsOf: self.logURL).count) ?? 0
        try process.run()
        self.process = process
        for _ in 0..<300 {
            let text = String(decoding: (try? Data(contentsOf: self.logURL).dropFirst(offset)) ?? Data(), as: UTF8.self)
            if let port = Self.port(in: text), text.contains("Admin socket listening") {
                self.port = port
                return
            }
            guard process.isRunning else { throw ServeTestProcessError(message: "serve exited with \(process.terminationStatus): \(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServeTestProcessError(message: "serve did not start within 15 s")
    }

    /// Sends `signal` and waits up to `timeout` for the exit; returns the exit status (nil on timeout).
    @discardableResult
    func stop(signal: Int32, timeout: Duration = .seconds(15)) async -> (status: Int32, reason: Process.TerminationReason, took: Duration)? {
        guard let process = self.process else { return nil }
        let start = ContinuousClock.now
        kill(process.processIdentifier, signal)
        while process.isRunning {
            if ContinuousClock.now - start > timeout { return nil }
            try? await Task.sleep(for: .milliseconds(10))
        }
        self.process = nil
        return (process.terminationStatus, process.terminationReason, ContinuousClock.now - start)
    }

    /// POSTs a submission; nil when the connection failed (server gone).
    func submit(_ body: Data, contentType: String, timeout: TimeAmount = .seconds(10)) async -> (status: Int, body: Data)? {
        var request = HTTPClientRequest(url: self.baseURL + "/v1/submissions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: timeout)
            let data = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), Data(data.readableBytesView))
        } catch {
            return nil
        }
    }

    /// The message ids in the spool, read with `amtsbote queue list --json` (server stopped: directly;
    /// server running: through its admin socket).
    func spooledIDs() async throws -> Set<String> {
        let result = try await AmtsboteProcess.run(["queue", "list", "--json", "--spool", self.spoolPath])
        guard result.status == 0 else { throw ServeTestProcessError(message: "queue list failed: \(result.stderr)") }
        var ids: Set<String> = []
        for line in result.lines {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let id = object["id"] as? String {
                ids.insert(id)
            }
        }
        return ids
    }

    private static func port(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("Portal API listening") }),
            let range = line.range(of: "127.0.0.1:")
        else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    private static func sha256Hex(_ text: String) async -> String {
        let result = try? await AmtsboteProcess.runShell("printf '%s' '\(text)' | sha256sum | cut -d' ' -f1")
        return result?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}

struct ServeTestProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { self.message }
}
