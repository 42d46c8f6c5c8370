#if canImport(Glibc)
import Glibc
#endif

/// Reads `NginxProcess`'s access log as it grows: each call returns the lines completed since the
/// last one (a line nginx is still writing stays buffered until its newline arrives).
///
/// nginx writes each line with one `write()` and no buffer (no `buffer=` on `access_log`), so a
/// request is in the log as soon as it has been answered.
final class NginxAccessLog {
    /// One request, as logged with `NginxProcess.logFormat`.
    struct Line {
        /// `$msec`: wall-clock seconds since 1970 with millisecond resolution.
        var msec: Double
        var status: Int
        var connection: Int
        var connectionRequests: Int
        /// `$http_idempotency_key`, nil when the request had none (nginx logs "-").
        var idempotencyKey: Substring?
    }

    private let fd: Int32
    private let path: String
    private var partial: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(path: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BenchE2EError("cannot open nginx's access log \(path): errno \(errno)") }
        self.path = path
    }

    deinit { close(fd) }

    /// The complete lines written since the last call.
    func readNewLines() throws -> [Line] {
        var lines: [Line] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw BenchE2EError("reading nginx's access log \(path) failed: errno \(errno)") }
            if count == 0 { return lines }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                partial.append(contentsOf: buffer[start..<index])
                lines.append(try Self.parse(partial))
                partial.removeAll(keepingCapacity: true)
                start = index + 1
            }
            partial.append(contentsOf: buffer[start..<count])
        }
    }

    /// Parses "1795716444.153 200 1 2 abc/bench" (the key last: it is the only free-form field).
    static func parse(_ bytes: [UInt8]) throws -> Line {
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
        guard fields.count == 5, let msec = Double(fields[0]), let status = Int(fields[1]),
            let connection = Int(fields[2]), let connectionRequests = Int(fields[3])
        else { throw BenchE2EError("unexpected line in nginx's access log: \(text.prefix(200))") }
        return Line(
            msec: msec, status: status, connection: connection, connectionRequests: connectionRequests,
            idempotencyKey: fields[4] == "-" ? nil : fields[4])
    }
}
