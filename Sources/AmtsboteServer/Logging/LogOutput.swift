import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor that log lines are written to, one `write(2)` per line under a lock.
package final class LogOutput: Sendable {
    private let descriptor: Int32
    private let lock = Mutex(())

    /// Standard error, where `serve` logs by default (systemd and containers collect it).
    package static let standardError = LogOutput(descriptor: 2)

    package init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes the whole line, retrying short writes and EINTR; drops it on other errors
    /// (logging must never take the server down).
    package func write(_ line: String) {
        var line = line
        self.lock.withLock { _ in
            line.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(self.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0, errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
