import AsyncHTTPClient
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// nginx as a child process of `bench e2e`, answering `POST /in` with 200 and logging every request
/// (wall-clock `$msec`, status, connection, `Idempotency-Key`) to an access log in its own temporary
/// prefix directory.
///
/// Why nginx: on two cores the sink shares the CPU with the server being measured, and the
/// Hummingbird sink costs about as much per request as Amtsbote's own ingest; a department system
/// would not run on Amtsbote's cores. nginx answers `return 200;` for a fraction of that CPU.
///
/// One process (`master_process off`): it is the one worker, and QUIT or KILL reach all of nginx
/// (a KILLed master would leave its worker running). `return 200;` discards the request body
/// (`ngx_http_send_response`), so keep-alive connections stay reusable; the access log's
/// `$connection`/`$connection_requests` show it. Keep-alive is unlimited (nginx's default closes a
/// connection after 1,000 requests; Hummingbird never does).
final class NginxProcess: @unchecked Sendable {
    // @unchecked: every property is set in `init` and never changed; `Process` is used by the
    // owning task only (start in init, stop in `stop`).
    let directory: URL
    let port: Int
    let version: String
    var accessLog: URL { directory.appendingPathComponent("logs/access.log") }
    private var errorLog: URL { directory.appendingPathComponent("logs/error.log") }
    private let process: Process

    /// The access log's `log_format`, parsed by `NginxAccessLog`.
    static let logFormat = "$msec $status $connection $connection_requests $http_idempotency_key"

    /// Where nginx is looked for: Debian's path, then `PATH`.
    static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = ["/usr/sbin/nginx"] + path.split(separator: ":").map { "\($0)/nginx" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchE2EError(
                "--sink nginx needs nginx, which is not installed (looked for /usr/sbin/nginx and nginx on PATH): "
                    + "install it with `apt-get install nginx-light` (Debian/Ubuntu), or use --sink swift")
        }
        return URL(fileURLWithPath: found)
    }

    /// Writes the configuration to a fresh temporary prefix and starts nginx on 127.0.0.1 at a free
    /// port (call `waitUntilReady`, and `stop` on every path).
    init() throws {
        let executable = try Self.executable()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-bench-nginx-\(UUID().uuidString)")
        do {
            for sub in ["logs", "tmp"] {
                try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            port = try FreePort.find()
            version = Self.version(of: executable)
            let config = directory.appendingPathComponent("nginx.conf")
            try Data(Self.configuration(prefix: directory.path, port: port).utf8).write(to: config)
            // The reader opens the log before the first request; nginx appends to it.
            let output = directory.appendingPathComponent("logs/nginx.out")
            for file in [directory.appendingPathComponent("logs/access.log"), output] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
                throw BenchE2EError("cannot create \(file.path)")
            }
            let handle = try FileHandle(forWritingTo: output)
            defer { try? handle.close() }
            let process = Process()
            process.executableURL = executable
            process.arguments = ["-p", directory.path + "/", "-c", config.path, "-e", directory.appendingPathComponent("logs/error.log").path]
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = FileHandle.nullDevice
            try process.run()
            self.process = process
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    var processID: Int32 { process.processIdentifier }

    /// Waits until nginx answers `GET /ready` (not logged), or fails with its error log.
    func waitUntilReady(client: HTTPClient) async throws {
        try await ChildReadiness.wait(
            for: process, named: "nginx", url: "http://127.0.0.1:\(port)/ready", status: 204,
            within: .seconds(10), every: .milliseconds(20), client: client, diagnostics: diagnostics
        )
    }

    /// Graceful stop (QUIT), KILL after `timeout`, then removes the prefix directory. Idempotent.
    func stop(timeout: Duration = .seconds(5)) {
        if process.isRunning {
            kill(process.processIdentifier, SIGQUIT)
            let deadline = ContinuousClock.now + timeout
            while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// CPU time nginx has used so far, nil once it has exited.
    func cpuSeconds() -> Double? { ProcessCPU.seconds(of: process.processIdentifier) }

    /// The tail of nginx's error log and output, for error messages.
    private func diagnostics() -> String {
        let texts = [errorLog, directory.appendingPathComponent("logs/nginx.out")].compactMap { try? String(contentsOf: $0, encoding: .utf8) }
        let text = texts.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(no output)" : String(text.suffix(1500))
    }

    /// `nginx -v` ("nginx version: nginx/1.22.1" on stderr) → "nginx/1.22.1".
    private static func version(of executable: URL) -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-v"]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "nginx" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.split(separator: " ").last.map(String.init) ?? "nginx"
    }

    /// The whole configuration: everything inside `prefix`, nothing from /etc/nginx. The default
    /// `client_max_body_size` (1 MiB) is far above the benchmark's documents (~100 bytes).
    static func configuration(prefix: String, port: Int) -> String {
        """
        daemon off;
        master_process off;
        worker_processes 1;
        pid \(prefix)/nginx.pid;
        error_log \(prefix)/logs/error.log warn;
        events { worker_connections 1024; }
        http {
          log_format bench '\(logFormat)';
          access_log \(prefix)/logs/access.log bench;
          client_body_temp_path \(prefix)/tmp/body;
          proxy_temp_path \(prefix)/tmp/proxy;
          fastcgi_temp_path \(prefix)/tmp/fastcgi;
          uwsgi_temp_path \(prefix)/tmp/uwsgi;
          scgi_temp_path \(prefix)/tmp/scgi;
          keepalive_requests 1000000;
          keepalive_timeout 65s;
          server {
            listen 127.0.0.1:\(port);
            location = /in { return 200; }
            location = /ready { access_log off; return 204; }
            location / { return 404; }
          }
        }

        """
    }
}
