import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `audit.log`: one content-free line per final event (delivered, dead, deleted, purged):
/// time, message id, target, outcome — never payload or envelope contents.
///
/// Written by the writer thread after the records it describes are durable; flushed to disk
/// at purge and close (it is a record for people, the segments are the source of truth).
final class AuditLog: Sendable {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = try FileSystem.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
    }

    deinit { close(fd) }

    /// One line: `2026-11-26T13:00:00.123Z id=… target=… outcome=…`.
    static func line(at milliseconds: Int64, id: MessageID, target: String, outcome: String) -> String {
        "\(Timestamp.iso8601(milliseconds)) id=\(id) target=\(target) outcome=\(outcome)\n"
    }

    /// The line for a copy of unreadable bytes in `corrupt/` (its file name: no content, no id).
    static func line(at milliseconds: Int64, corruptFile: String, outcome: String) -> String {
        "\(Timestamp.iso8601(milliseconds)) corrupt=\(corruptFile) outcome=\(outcome)\n"
    }

    func append(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        let text = Array(lines.joined().utf8)
        // Appends are best-effort: a failing audit write must not fail deliveries, and the
        // segments remain the source of truth.
        text.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = write(fd, buffer.baseAddress! + done, buffer.count - done)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                done += written
            }
        }
    }

    func sync() throws {
        if fsync(fd) != 0 { throw SpoolError.io("fsync", path: path, errno: errno) }
    }
}
