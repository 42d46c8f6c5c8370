import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amtsbote bench e2e` interrupted while the `serve` under test runs (a signal to the bench
/// alone, as from `kill` or a job runner): the server is stopped too, not left running with its
/// port and spool.
@Suite("bench e2e interrupted", .timeLimit(.minutes(2)))
struct BenchE2EInterruptTests {
    @Test("a signal to the bench stops its serve", arguments: [SIGTERM, SIGINT])
    func aSignalToTheBenchStopsItsServer(_ signalNumber: Int32) async throws {
        let (bench, stdout) = try AmtsboteProcess.start([
            "bench", "e2e", "--messages", "200000", "--rounds", "1", "--skip-light-load", "--sink", "swift",
        ])
        let output = PipeReader(stdout)
        _ = output
        let deadline = ContinuousClock.now + .seconds(60)
        var server: Int32?
        while server == nil && bench.isRunning && ContinuousClock.now < deadline {
            server = Self.children(of: bench.processIdentifier).first { Self.commandLine($0).contains("serve") }
            if server == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let serverPID = try #require(server, "the bench started no serve")
        // Signal once the server listens: it has its own signal handling by then (it inherits
        // the bench's ignored SIGINT/SIGTERM, and one sent earlier would only be answered by the
        // bench's SIGKILL after 10 s).
        let port = try #require(Self.configuredPort(of: serverPID), "no port in the server's config")
        while !Self.listens(port) && bench.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }

        kill(bench.processIdentifier, signalNumber)
        let exitDeadline = ContinuousClock.now + .seconds(30)
        while bench.isRunning && ContinuousClock.now < exitDeadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!bench.isRunning, "the bench did not end on the signal")
        // The server was the bench's child: once the bench is gone, init reaps it when it ends.
        let serverDeadline = ContinuousClock.now + .seconds(15)
        while Self.isAlive(serverPID) && ContinuousClock.now < serverDeadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!Self.isAlive(serverPID), "serve (pid \(serverPID)) still runs after the bench was interrupted")
        if Self.isAlive(serverPID) { kill(serverPID, SIGKILL) }
    }

    /// Processes whose parent is `pid` (from /proc).
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { child in
            guard let status = try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8) else { return false }
            return status.split(separator: "\n").contains { $0 == "PPid:\t\(pid)" }
        }
    }

    static func commandLine(_ pid: Int32) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }

    /// The `listen.port` of the config in the process's working directory (the bench writes one
    /// per server).
    static func configuredPort(of pid: Int32) -> Int? {
        guard let directory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"),
            let config = try? String(contentsOfFile: directory + "/config/amtsbote.yaml", encoding: .utf8),
            let match = config.firstMatch(of: /port: (\d+)/)
        else { return nil }
        return Int(match.1)
    }

    /// Something accepts TCP connections on 127.0.0.1:`port`.
    static func listens(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Running, not a zombie (a zombie has ended; its parent has not reaped it yet).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        return !status.contains("State:\tZ")
    }
}
