import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The exclusive `flock` on `spool/lock` that makes sure only one process writes a spool.
///
/// The holder writes its pid into the file, so that a second process can name it in its error.
/// The kernel drops the lock when the process dies (even on SIGKILL), so a crash never leaves
/// a stale lock behind.
final class FileLock: Sendable {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        let fd = try FileSystem.open(path, O_RDWR | O_CREAT, 0o600)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            let holder = Self.readPID(fd)
            close(fd)
            if error == EWOULDBLOCK {
                let who = holder.map { " (pid \($0))" } ?? ""
                throw SpoolError(.locked, "spool \(path.dropLast("/lock".count)) is locked by a running process\(who)", pid: holder)
            }
            throw SpoolError.io("flock", path: path, errno: error)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }

    /// Releases the lock (also happens when the process ends).
    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
