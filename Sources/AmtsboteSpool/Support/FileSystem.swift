import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Thin, error-checked wrappers over the system calls the spool needs.
enum FileSystem {
    /// Opens `path`, retrying on EINTR.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw SpoolError.io("open", path: path, errno: errno, reading: flags & (O_WRONLY | O_RDWR) == 0)
        }
    }

    /// Makes a directory's entries (new, renamed or removed files) durable.
    static func syncDirectory(_ path: String) throws {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        if fsync(fd) != 0 { throw SpoolError.io("fsync", path: path, errno: errno) }
    }

    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw SpoolError.io("mkdir", path: path, errno: errno)
        }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Writes all of `buffer` at `offset`.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int, path: String) throws {
        var written = 0
        while written < buffer.count {
            let result = pwrite(fd, buffer.baseAddress! + written, buffer.count - written, off_t(offset + written))
            if result < 0 {
                if errno == EINTR { continue }
                throw SpoolError.io("write", path: path, errno: errno)
            }
            if result == 0 { throw SpoolError(.writeFailed, "write \(path): no progress") }
            written += result
        }
    }

    /// Reads exactly `count` bytes at `offset` into `buffer`.
    static func readAll(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws {
        var done = 0
        while done < buffer.count {
            let result = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw SpoolError.io("read", path: path, errno: errno, reading: true)
            }
            if result == 0 { throw SpoolError(.corrupt, "read \(path): record ends beyond end of file") }
            done += result
        }
    }

    /// The names in a directory (without `.` and `..`).
    static func list(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw SpoolError.io("opendir", path: path, errno: errno, reading: true)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func size(_ fd: Int32, path: String) throws -> Int {
        var info = stat()
        if fstat(fd, &info) != 0 { throw SpoolError.io("stat", path: path, errno: errno, reading: true) }
        return Int(info.st_size)
    }

    /// The size of the file at `path`.
    static func size(_ path: String) throws -> Int {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        return try size(fd, path: path)
    }
}
