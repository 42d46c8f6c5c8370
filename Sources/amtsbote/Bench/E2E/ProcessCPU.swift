import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// CPU time (user + system) a process has used, from /proc/PID/stat in clock ticks (10 ms). On two
/// shared cores it shows where a phase's CPU went: serve, the bench process (client and the
/// in-process sink), nginx.
enum ProcessCPU {
    /// Seconds of CPU used by `pid` so far (nil when it has exited); `nil` pid = this process.
    static func seconds(of pid: Int32? = nil) -> Double? {
        let path = pid.map { "/proc/\($0)/stat" } ?? "/proc/self/stat"
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8), let end = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// CPU used by serve and by the bench process over one phase (from `init` to `text`).
struct PhaseCPU {
    private let servePID: Int32?
    private let serveAtStart: Double?
    private let benchAtStart: Double?

    init(servePID: Int32?) {
        self.servePID = servePID
        serveAtStart = servePID.flatMap { ProcessCPU.seconds(of: $0) }
        benchAtStart = ProcessCPU.seconds()
    }

    /// "CPU: serve 3.10 s, bench process (client) 1.20 s" for the time since `init`.
    func text(bench label: String) -> String {
        func used(_ start: Double?, _ now: Double?) -> String {
            guard let start, let now else { return "?" }
            return String(format: "%.2f s", now - start)
        }
        return "CPU: serve \(used(serveAtStart, servePID.flatMap { ProcessCPU.seconds(of: $0) })), "
            + "bench process (\(label)) \(used(benchAtStart, ProcessCPU.seconds()))"
    }
}
