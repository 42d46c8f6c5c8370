import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// One real `amtsbote serve` for `bench e2e`, in its own directory with config/, mappings/, spool/.
final class BenchServer: @unchecked Sendable {
    // @unchecked: `process` is set in `start` and read afterwards by the same task only.
    let directory: URL
    let port: Int
    private var process: Process?
    /// Stops the server if the bench is interrupted while it runs.
    private var interrupted: InterruptCleanup?

    /// The README's local-only portal token and its SHA-256 (as in the shipped config).
    static let token = "amtsbote-local-only-token-do-not-use-in-production"
    private static let tokenSHA256 = "4e443016ec2ae2c047acd8ff8b61e41b3bb613e60d4084e9ba7ca05da3330be8"

    /// The mapping used by the benchmark: a small JSON submission to a small JSON document.
    static let mapping = """
        target: bench
        match:
          format: json
          where: { path: ref, exists: true }
        output:
          format: json
        fields:
          - name: ref
            path: ref
            required: true
          - name: name
            path: antragsteller/name
          - name: ort
            path: antragsteller/ort
        """

    /// - Parameters:
    ///   - sinkURL: where target `bench` delivers; nil = no `targets:` entry (ingest only: jobs wait).
    ///   - targetConcurrency: the target's `concurrency` (delivery workers).
    ///   - retention: `retention.finishedMessages`; `purgeInterval`: how often the purge runs. Short
    ///     values let the light-load run reach a steady state, as a long-running server does once
    ///     its retention period has passed.
    init(directory: URL, port: Int, sinkURL: URL?, targetConcurrency: Int, retention: String, purgeInterval: String) throws {
        self.directory = directory
        self.port = port
        for sub in ["config", "mappings"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var config = """
            listen:
              host: 127.0.0.1
              port: \(port)
            spool: spool
            mappings: mappings
            portal:
              clients:
                - name: bench-portal
                  tokenSHA256: \(Self.tokenSHA256)
                  scopes: [submit, status]
            retention:
              finishedMessages: \(retention)
              purgeInterval: \(purgeInterval)
            log:
              format: text
              level: warning

            """
        if let sinkURL {
            config += """
                targets:
                  bench:
                    kind: http
                    url: \(sinkURL.absoluteString)
                    timeout: 10s
                    concurrency: \(targetConcurrency)

                """
        }
        try Data(config.utf8).write(to: directory.appendingPathComponent("config/amtsbote.yaml"))
        try Data(Self.mapping.utf8).write(to: directory.appendingPathComponent("mappings/bench.yaml"))
    }

    var processID: Int32? { process?.processIdentifier }

    /// Starts `BINARY serve` and waits for `/readyz`.
    func start(binary: URL, client: HTTPClient) async throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--config", "config/amtsbote.yaml"]
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        interrupted = InterruptCleanup { Self.terminate(process) }
        try await ChildReadiness.wait(
            for: process, named: "serve", url: "http://127.0.0.1:\(port)/readyz", status: 200,
            within: .seconds(60), every: .milliseconds(50), client: client, diagnostics: { String(logTail().suffix(1500)) }
        )
    }

    /// SIGTERM, then wait.
    func stop() {
        interrupted?.cancel()
        interrupted = nil
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// On an interrupt: SIGTERM, up to 10 s for the drain, then SIGKILL.
    private static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Resident set size of the server process in KiB (VmRSS from /proc), and its anonymous
    /// (heap) and file-backed parts (RssAnon, RssFile: mapped segment pages count as RSS too).
    func resident() -> (total: Int, anonymous: Int, file: Int)? {
        guard let pid = processID, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        var values: [String: Int] = [:]
        for line in status.split(separator: "\n") {
            let fields = line.split(omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
            guard fields.count >= 2, ["VmRSS:", "RssAnon:", "RssFile:"].contains(fields[0]) else { continue }
            values[String(fields[0])] = Int(fields[1])
        }
        guard let total = values["VmRSS:"] else { return nil }
        return (total, values["RssAnon:"] ?? 0, values["RssFile:"] ?? 0)
    }

    func logTail() -> String {
        (try? String(contentsOf: directory.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
    }

    /// Posts one submission; returns the message id (from the 202 receipt).
    func submit(_ json: String, client: HTTPClient) async throws -> String {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/submissions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status.code == 202 else {
            throw BenchE2EError("submission answered \(response.status.code): \(String(buffer: body).prefix(300))")
        }
        // The receipt starts with {"id":"…"; parse it properly anyway.
        guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let id = object["id"] as? String
        else { throw BenchE2EError("receipt without id") }
        return id
    }
}
