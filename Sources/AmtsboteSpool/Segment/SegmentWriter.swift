import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Appends records to the active segment and makes them durable with one fdatasync per batch.
///
/// Only the spool's writer thread calls it after `Spool.open` (hence `@unchecked Sendable`:
/// the confinement is by thread, not by a lock). A failed write or flush truncates the segment
/// back to the last durable offset, so that nothing half-written stays between good records;
/// if even that fails, the next batch goes to a new segment.
final class SegmentWriter: @unchecked Sendable {
    let directory: String
    let segmentBytes: Int
    private(set) var number: UInt32
    private(set) var size: Int
    private var fd: Int32
    private var needsRoll = false
    private var staging: [UInt8] = []
    /// Where the records not yet flushed start (nil: all are durable). The segment is kept with
    /// the offset: a roll that fails after switching files must not cut the new one at an offset
    /// of the old.
    private var unsynced: (segment: UInt32, offset: Int)?

    /// Records at least this big are written straight from their buffer instead of being copied.
    private static let directWriteBytes = 1 << 20

    /// Opens segment `number` for appending at `size` (recovery has truncated anything after it).
    init(directory: String, number: UInt32, size: Int, segmentBytes: Int) throws {
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.number = number
        self.size = size
        let path = directory + "/" + SegmentName.file(number)
        let existed = FileSystem.exists(path)
        fd = try FileSystem.open(path, O_WRONLY | O_CREAT)
        if !existed { try FileSystem.syncDirectory(directory) }
        reserveSpace()
        staging.reserveCapacity(Self.directWriteBytes)
    }

    var path: String { directory + "/" + SegmentName.file(number) }

    /// Writes `records` after the ones written so far, without flushing them: a batch may be
    /// written in parts while its callers are still arriving, and made durable by one `commit()`.
    ///
    /// - Throws: `SpoolError` (`.diskFull` or `.writeFailed`); then every record written since the
    ///   last commit is cut off again (the ones before a roll, which flushed them, may stay).
    func write(_ records: [[UInt8]]) throws -> [RecordLocation] {
        var locations: [RecordLocation] = []
        locations.reserveCapacity(records.count)
        if unsynced == nil { unsynced = (number, size) }
        do {
            for record in records {
                if needsRoll || (size > 0 && size + staging.count + record.count > segmentBytes) {
                    try flushStaging()
                    try sync()
                    try roll()
                    unsynced = (number, 0)
                }
                let offset = size + staging.count
                locations.append(RecordLocation(segment: number, offset: UInt32(offset), length: UInt32(record.count)))
                if record.count >= Self.directWriteBytes {
                    try flushStaging()
                    try record.withUnsafeBytes { try FileSystem.writeAll(fd, $0, at: size, path: path) }
                    size += record.count
                } else {
                    if staging.count + record.count > Self.directWriteBytes { try flushStaging() }
                    staging.append(contentsOf: record)
                }
            }
            try flushStaging()
        } catch {
            abandonUnsynced()
            throw error
        }
        return locations
    }

    /// Makes everything written since the last commit durable with one fdatasync.
    /// - Throws: `SpoolError`; then those records are cut off again, as for `write`.
    func commit() throws {
        do {
            try flushStaging()
            try sync()
            unsynced = nil
        } catch {
            abandonUnsynced()
            throw error
        }
    }

    /// After a failed write or flush: the records since the last commit are not durable and
    /// were not acknowledged; cut them off so nothing half-written stays between good records.
    private func abandonUnsynced() {
        staging.removeAll(keepingCapacity: true)
        recover(to: unsynced.map { $0.segment == number ? $0.offset : 0 } ?? size)
        unsynced = nil
    }

    private func flushStaging() throws {
        guard !staging.isEmpty else { return }
        try staging.withUnsafeBytes { try FileSystem.writeAll(fd, $0, at: size, path: path) }
        size += staging.count
        staging.removeAll(keepingCapacity: staging.capacity <= 4 * Self.directWriteBytes)
    }

    private func sync() throws {
        if fdatasync(fd) != 0 { throw SpoolError.io("fdatasync", path: path, errno: errno) }
    }

    /// After a failure: cut the segment back to `offset`; if that is impossible, roll next time.
    private func recover(to offset: Int) {
        if ftruncate(fd, off_t(offset)) == 0 && fdatasync(fd) == 0 {
            size = offset
        } else {
            size = offset
            needsRoll = true
        }
    }

    /// Seals the active segment and starts the next one.
    func roll() throws {
        releaseReservation()
        if size > 0 || needsRoll {
            _ = fdatasync(fd)
        }
        let next = number + 1
        let nextPath = directory + "/" + SegmentName.file(next)
        let newFD = try FileSystem.open(nextPath, O_WRONLY | O_CREAT | O_EXCL)
        Glibc.close(fd)
        fd = newFD
        number = next
        size = 0
        needsRoll = false
        try FileSystem.syncDirectory(directory)
        reserveSpace()
    }

    /// Allocates the active segment's blocks up to `segmentBytes` without changing its size
    /// (`FALLOC_FL_KEEP_SIZE`), so the file's length still ends at its last record.
    ///
    /// Why: an append that needs new blocks makes every fdatasync commit the block allocation
    /// to the file system's journal as well; with the blocks reserved at the start of a
    /// segment, a group commit's flush carries only the size change. Measured on this machine's
    /// ext4 (C probe, 1 GiB in 64 MiB files, batches of 128 × 2 KiB): 247–301 k records/s
    /// reserved against 228–263 k/s appending. Once reserved, the segment's appends cannot run
    /// out of disk space. File systems without `fallocate`, or a disk too full for the whole
    /// reservation, get the old behaviour: nothing depends on the reservation.
    private func reserveSpace() {
        FileSpace.reserve(fd, from: size, length: segmentBytes - size)
    }

    /// Frees the blocks reserved past the last record (a truncate to the current size does
    /// that on Linux file systems): a segment sealed early, e.g. for a purge, would otherwise
    /// keep up to `segmentBytes` of disk until compaction rewrites it.
    private func releaseReservation() {
        guard !needsRoll else { return }
        _ = ftruncate(fd, off_t(size))
    }

    /// Flushes and closes the file.
    func close() {
        releaseReservation()
        _ = fdatasync(fd)
        Glibc.close(fd)
        fd = -1
    }
}
