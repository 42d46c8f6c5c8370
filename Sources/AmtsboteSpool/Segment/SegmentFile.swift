import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A segment opened for reading. Readers keep a reference while they read, so that compaction
/// can swap in the rewritten file without closing a descriptor under a reader's feet.
final class SegmentFile: Sendable {
    let number: UInt32
    let path: String
    private let fd: Int32

    init(number: UInt32, path: String) throws {
        self.number = number
        self.path = path
        fd = try FileSystem.open(path, O_RDONLY)
    }

    deinit { close(fd) }

    /// Reads `location`'s bytes and checks the record's CRC before anyone trusts them.
    func readRecord(_ location: RecordLocation) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(location.length))
        try bytes.withUnsafeMutableBytes { try FileSystem.readAll(fd, into: $0, at: Int(location.offset), path: path) }
        let check = bytes.withUnsafeBytes { RecordFrame.check($0, at: 0) }
        guard case .valid(_, let total) = check, total == bytes.count else {
            throw SpoolError(.corrupt, "record at \(path) offset \(location.offset) fails its CRC")
        }
        return bytes
    }

    /// Reads the first `count` bytes of the record at `offset` (metadata only; not CRC-checked:
    /// the whole record was checked when the spool was opened or the record written).
    func readPrefix(at offset: UInt32, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try FileSystem.readAll(fd, into: $0, at: Int(offset), path: path) }
        return bytes
    }
}
