import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a segment at start-up: checks every record's CRC, hands intact records to a visitor,
/// copies unreadable bytes to `corrupt/` (naming segment and offset) and finds where the
/// last segment's intact records end, so that a torn tail can be cut off.
struct SegmentScanner: Sendable {
    var corruptDirectory: String
    var events: SpoolEventSink
    /// False for read-only followers (`queue watch`), which must not write into the spool.
    var keepsCorruptBytes = true
    /// True for followers, which read the active segment while it is written: bytes there that
    /// are not an intact record may be a write in progress, not damage to search past.
    var waitsForIncompleteRecords = false

    /// Scans `path`; returns the offset after the last intact record (where appends continue).
    ///
    /// - Parameters:
    ///   - isLast: the active segment. Only there is a record cut short by a crash expected
    ///     (it was never acknowledged, so it is cut off); anywhere else such bytes are corrupt.
    ///   - visit: gets each intact record (header included) and its offset; throwing marks the
    ///     record unreadable (it is copied to `corrupt/` and skipped).
    func scan(
        path: String,
        number: UInt32,
        isLast: Bool,
        visit: (RecordKind, UnsafeRawBufferPointer, Int) throws -> Void
    ) throws -> Int {
        let fd = try FileSystem.open(path, O_RDONLY)
        defer { close(fd) }
        let size = try FileSystem.size(fd, path: path)
        guard size > 0 else { return 0 }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw SpoolError.io("mmap", path: path, errno: errno, reading: true)
        }
        defer { munmap(mapped, size) }
        _ = madvise(mapped, size, MADV_SEQUENTIAL)
        return try scan(UnsafeRawBufferPointer(start: mapped, count: size), number: number, isLast: isLast, releasingPages: true, visit: visit)
    }

    /// Scans records in `buffer` (a whole segment, or what a follower has read of the active
    /// one; offsets passed to `visit` are relative to `buffer`). Returns where intact records end.
    /// - Parameter releasingPages: `buffer` is a page-aligned file mapping whose scanned pages
    ///   may be dropped from RSS as the scan goes.
    func scan(
        _ buffer: UnsafeRawBufferPointer,
        number: UInt32,
        isLast: Bool,
        releasingPages: Bool,
        visit: (RecordKind, UnsafeRawBufferPointer, Int) throws -> Void
    ) throws -> Int {
        let size = buffer.count
        guard size > 0, let mapped = UnsafeMutableRawPointer(mutating: buffer.baseAddress) else { return 0 }
        var offset = 0
        var released = 0
        // Where the bytes that are not zero end; found only once a record fails its check.
        var dataEnd: Int?
        while offset < size {
            // Give back the pages already read, so that scanning a 64 MiB segment does not
            // hold 64 MiB of file pages in this process's RSS (they stay in the page cache).
            if releasingPages && offset - released >= Self.releaseBytes {
                let end = offset & ~(Int(getpagesize()) - 1)
                _ = madvise(mapped + released, end - released, MADV_DONTNEED)
                released = end
            }
            let check = RecordFrame.check(buffer, at: offset)
            if case .valid(let kind, let total) = check {
                let record = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + total)])
                do {
                    try visit(kind, record, offset)
                } catch {
                    try keepCorrupt(buffer, from: offset, to: offset + total, number: number, reason: "undecodable record")
                }
                offset += total
                continue
            }
            // A follower reading the active segment may catch a write half done (in a spare,
            // bytes after a gap of zeros can already be there): it stops and reads again later.
            if waitsForIncompleteRecords && isLast { return offset }
            if dataEnd == nil {
                dataEnd = Self.endOfData(buffer)
                if releasingPages {
                    // The backward search read the zeros after the data; give their pages back too.
                    let start = (dataEnd! + Int(getpagesize()) - 1) & ~(Int(getpagesize()) - 1)
                    if start < size { _ = madvise(mapped + start, size - start, MADV_DONTNEED) }
                }
            }
            let zerosFrom = max(dataEnd!, offset)
            // Only zeros from here on in the active segment: the unused rest of a zero-filled
            // spare at a crash (or at a follower's read). The log ends here. A sealed segment
            // was cut to its records, so zeros there are damage and handled below.
            if isLast && zerosFrom == offset { return offset }
            // Intact records further on mean these bytes are damage, not a torn append (a
            // damaged length field can also claim more bytes than the file has).
            if let next = nextRecord(in: buffer, after: offset) {
                try keepCorrupt(buffer, from: offset, to: next, number: number, reason: "bad record")
                offset = next
                continue
            }
            // A record cut short at the end of the active segment: a crash mid-append; it was
            // never acknowledged. Cut it off.
            if isLast && (check == .truncated || check == .fragment || Self.isCutShort(buffer, at: offset, zerosFrom: zerosFrom)) {
                events(SpoolEvent(.notice, "Truncating torn tail of segment", metadata(number, offset, zerosFrom - offset)))
                return offset
            }
            // Nothing readable follows. Keep the bytes for the operator in any case (not the
            // zeros after them).
            try keepCorrupt(buffer, from: offset, to: isLast ? zerosFrom : size, number: number, reason: "unreadable tail")
            return offset
        }
        return offset
    }

    /// A record whose header is there but whose bytes run into the zeros after the data: in a
    /// zero-filled segment, the write of its end never happened (the analogue of `.truncated`
    /// in a file that grows with its appends).
    private static func isCutShort(_ buffer: UnsafeRawBufferPointer, at offset: Int, zerosFrom: Int) -> Bool {
        guard zerosFrom - offset > RecordFrame.headerBytes else { return true }
        let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        return length >= 1 && length <= RecordFrame.maxLength && offset + RecordFrame.headerBytes + length > zerosFrom
    }

    /// The offset after the last byte of `buffer` that is not zero (0 if all are).
    static func endOfData(_ buffer: UnsafeRawBufferPointer) -> Int {
        var end = buffer.count
        while end > 0 && end % 8 != 0 {
            if buffer[end - 1] != 0 { return end }
            end -= 1
        }
        while end >= 8 && buffer.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self) == 0 { end -= 8 }
        while end > 0 && buffer[end - 1] == 0 { end -= 1 }
        return end
    }

    /// The offset of the first byte at or after `start` that is not zero, if any.
    static func firstNonZero(_ buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var position = start
        while position + 8 <= buffer.count && buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self) == 0 {
            position += 8
        }
        while position < buffer.count {
            if buffer[position] != 0 { return position }
            position += 1
        }
        return nil
    }

    private static let releaseBytes = 8 << 20

    /// The offset of the next intact record after a bad one, if any.
    private func nextRecord(in buffer: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        var candidate = offset + 1
        while candidate + RecordFrame.headerBytes < buffer.count {
            // A record's length field is not zero: jump over runs of zeros (a spare's unused
            // part) to the first candidate whose length field reaches a non-zero byte.
            if buffer.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == 0 {
                guard let nonZero = Self.firstNonZero(buffer, from: candidate + 4) else { return nil }
                candidate = nonZero - 3
                continue
            }
            if case .valid = RecordFrame.check(buffer, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }

    private func keepCorrupt(_ buffer: UnsafeRawBufferPointer, from start: Int, to end: Int, number: UInt32, reason: String) throws {
        let name = SegmentName.file(number).replacingOccurrences(of: ".log", with: "") + "-\(start).bin"
        let path = corruptDirectory + "/" + name
        var meta = metadata(number, start, end - start)
        meta["amtsbote.spool.reason"] = reason
        meta["amtsbote.spool.corrupt_file"] = "corrupt/" + name
        guard keepsCorruptBytes else { return }
        events(SpoolEvent(.warning, "Copied unreadable spool bytes to corrupt/", meta))
        guard !FileSystem.exists(path) else { return }
        let temporary = path + ".tmp"
        let fd = try FileSystem.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(fd) }
        try FileSystem.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[start..<end]), at: 0, path: temporary)
        if fsync(fd) != 0 { throw SpoolError.io("fsync", path: temporary, errno: errno) }
        if rename(temporary, path) != 0 { throw SpoolError.io("rename", path: temporary, errno: errno) }
        try FileSystem.syncDirectory(corruptDirectory)
    }

    private func metadata(_ number: UInt32, _ offset: Int, _ bytes: Int) -> [String: String] {
        [
            "amtsbote.spool.segment": SegmentName.file(number),
            "amtsbote.spool.offset": String(offset),
            "amtsbote.spool.bytes": String(bytes),
        ]
    }
}
