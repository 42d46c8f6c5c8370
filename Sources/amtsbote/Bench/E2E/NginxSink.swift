import AsyncHTTPClient
import Foundation
import Synchronization

/// The throughput phase's sink with `--sink nginx`: an `NginxProcess` answers, and its access log
/// tells what arrived. It reports what `BenchSink` reports (requests per message id, duplicates,
/// requests for other ids, the last arrival), with arrival times from nginx's `$msec`: wall clock
/// with 1 ms resolution, compared with the wall clock of the phase's first POST.
///
/// Besides, it counts what only nginx sees: connections (so the report shows that delivery's
/// keep-alive connections stayed reusable) and responses other than 200.
final class NginxSink: ThroughputSink {
    private struct State: ~Copyable {
        var log: NginxAccessLog
        var tally = SinkTally<Double>()
        var requestsPerConnection: [Int: Int] = [:]
        var statuses: [Int: Int] = [:]
        /// nginx's CPU time at the last reset.
        var cpuAtReset: Double?

        mutating func take(_ line: NginxAccessLog.Line) {
            tally.note(id: line.idempotencyKey.flatMap { SinkTally<Double>.messageID(fromKey: $0) }, at: line.msec)
            requestsPerConnection[line.connection, default: 0] += 1
            statuses[line.status, default: 0] += 1
        }
    }

    let nginx: NginxProcess
    private let state: Mutex<State>

    var url: URL { URL(string: "http://127.0.0.1:\(nginx.port)/in")! }

    var arrivalClock: String { "\(nginx.version) access log ($msec: wall clock, 1 ms resolution)" }

    private init(nginx: NginxProcess) throws {
        self.nginx = nginx
        state = Mutex(State(log: try NginxAccessLog(path: nginx.accessLog.path)))
    }

    /// Starts nginx, runs `body` with the sink, and stops nginx (QUIT, then KILL) and removes its
    /// directory whether `body` returns or throws, or the bench is interrupted.
    static func run<T>(client: HTTPClient, _ body: (NginxSink) async throws -> T) async throws -> T {
        let nginx = try NginxProcess()
        let interrupted = InterruptCleanup { nginx.stop() }
        defer {
            interrupted.cancel()
            nginx.stop()
        }
        try await nginx.waitUntilReady(client: client)
        return try await body(try NginxSink(nginx: nginx))
    }

    /// Takes in the lines logged so far and forgets them.
    func reset() throws {
        try state.withLock { state in
            for line in try state.log.readNewLines() { state.take(line) }
            state.tally.reset()
            state.requestsPerConnection.removeAll()
            state.statuses.removeAll()
            state.cpuAtReset = nginx.cpuSeconds()
        }
    }

    func refresh() throws {
        try state.withLock { state in
            for line in try state.log.readNewLines() { state.take(line) }
        }
    }

    func hasArrived(_ id: String) -> Bool { state.withLock { $0.tally.firstArrival[id] != nil } }

    func secondsToLastArrival(of ids: [String], since start: BenchStart) -> Double? {
        state.withLock { $0.tally.lastArrival(of: ids) }.map { $0 - start.date.timeIntervalSince1970 }
    }

    func counts() -> SinkCounts { state.withLock { $0.tally.counts } }

    func notes() -> String? {
        state.withLock { state in
            let busiest = state.requestsPerConnection.values.max() ?? 0
            let others = state.statuses.filter { $0.key != 200 }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            var cpu = ""
            if let before = state.cpuAtReset, let now = nginx.cpuSeconds() {
                cpu = String(format: "; nginx CPU %.2f s (%.0f µs per request)", now - before, 1e6 * (now - before) / Double(max(state.tally.requests, 1)))
            }
            return "nginx: \(state.requestsPerConnection.count) connections (up to \(busiest) requests on one), "
                + "status 200: \(state.statuses[200] ?? 0), other statuses: \(others.isEmpty ? "none" : others.joined(separator: ", "))" + cpu
        }
    }
}
