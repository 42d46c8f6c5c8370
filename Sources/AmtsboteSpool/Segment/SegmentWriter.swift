import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Appends records to the active segment and makes them durable with one fdatasync per batch.
///
/// After `Spool.open` only the writer lane holding the write lock (or a caller leading a lone
/// flush, while no lane has a batch) calls it, except for `flush`, which only reads a
/// constant (hence `@unchecked Sendable`). After a failed write or flush the log is cut back to
/// where the failed batch began (`cutBack`, for a flush once the batches written after it have
/// failed too), so that nothing half-written stays between good records; if the active segment
/// cannot be cut, the next batch goes to a new segment.
///
/// A new segment is, when one is ready, a zero-filled spare from the `SegmentPreparer`: its
/// records then overwrite written blocks, and each flush carries no file-system metadata; they
/// are written with direct I/O where the file system allows it (`DirectPageWriter`). Such
/// a segment's file is longer than its records until it is sealed (cut to its records then);
/// after a crash the scanner takes the zeros after the last record for the end of the log.
final class SegmentWriter: @unchecked Sendable {
    let directory: String
    let segmentBytes: Int
    private(set) var number: UInt32
    /// Where the records end (the file may be longer: zeros of a spare, or reserved blocks).
    private(set) var size: Int
    private var fd: Int32
    private var needsRoll = false
    /// Supplies zero-filled files for new segments (nil: always create them).
    private let preparer: SegmentPreparer?
    /// Spares were asked for during this segment: this process rolled into it from a segment
    /// it had asked for spares in, or wrote an eighth of a segment into it. Until then it is not
    /// moved off to a spare either, so that a CLI command writing a few state records neither
    /// prepares spares nor seals the segment.
    private var requestedSpares = false
    /// Bytes this process has written into the active segment.
    private var writtenHere = 0
    /// The active segment is a spare: its file is longer than its records, and its flushes
    /// overwrite written blocks.
    private var isPrewritten = false
    /// The active segment is a spare written with direct I/O: records are staged in `pages`
    /// instead of `staging`.
    private var isDirect = false
    private let pages: DirectPageWriter
    private var staging: [UInt8] = []
    /// Where the records not yet flushed start (nil: all are durable). The segment is kept with
    /// the offset: a roll that fails after switching files must not cut the new one at an offset
    /// of the old.
    private var unsynced: (segment: UInt32, offset: Int)?
    /// A separate open of the active segment for the batch being written, opened before its
    /// first write: its flush runs on this descriptor. Why not `dup`: Linux reports a
    /// write-back error once per open file, and a dup shares it with the writer's descriptor
    /// (whose flushes at a roll would take the error away) and with every other batch's.
    private var batchFD: Int32 = -1

    /// fdatasync for the lanes' flushes (`flush`); replaced only by fault-injection tests (a
    /// failing flush cannot be provoked on a local disk).
    private let flushFile: @Sendable (Int32) -> Int32

    /// Records at least this big are written straight from their buffer instead of being copied.
    private static let directWriteBytes = 1 << 20

    /// Opens segment `number` for appending at `size` (recovery has truncated anything after it).
    /// - Parameters:
    ///   - directWrite: how staged pages are written in direct mode; replaced only by
    ///     fault-injection tests (a refused direct write cannot be provoked on a local disk).
    ///   - flushFile: fdatasync for `flush`, likewise.
    init(
        directory: String,
        number: UInt32,
        size: Int,
        segmentBytes: Int,
        preparer: SegmentPreparer? = nil,
        directWrite: @escaping DirectPageWriter.Write = FileSystem.writeAll,
        flushFile: @escaping @Sendable (Int32) -> Int32 = { fdatasync($0) }
    ) throws {
        pages = DirectPageWriter(capacity: Self.directWriteBytes, write: directWrite)
        self.flushFile = flushFile
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.number = number
        self.size = size
        self.preparer = preparer
        let path = directory + "/" + SegmentName.file(number)
        let existed = FileSystem.exists(path)
        fd = try FileSystem.open(path, O_WRONLY | O_CREAT)
        if !existed { try FileSystem.syncDirectory(directory) }
        reserveSpace()
        staging.reserveCapacity(Self.directWriteBytes)
    }

    var path: String { directory + "/" + SegmentName.file(number) }

    /// Writes `records` after the ones written so far, without flushing them: a batch may be
    /// written in parts while its callers are still arriving, handed to the file by `writeOut`
    /// and made durable by one `flush` (or both at once by `commit()`).
    ///
    /// In a spare written with direct I/O the records are only staged (up to 1 MiB) and go to
    /// the file with one write at `writeOut`: a direct write waits for the device (this
    /// machine: 52 µs for 4 KiB, 79 µs for 64 KiB, 147 µs for 256 KiB), so the three or four
    /// writes a batch of 128 arrived in cost more than one (bench spool c=128, 3 interleaved
    /// rounds: 191–199 k/s with one write, 167–181 k/s writing each part as it arrived).
    ///
    /// - Throws: `SpoolError` (`.diskFull` or `.writeFailed`); then every record written since the
    ///   last commit is cut off again (in a segment sealed meanwhile too).
    func write(_ records: [[UInt8]]) throws -> [RecordLocation] {
        var locations: [RecordLocation] = []
        locations.reserveCapacity(records.count)
        do {
            if unsynced == nil {
                try switchToSpareIfReady()
                unsynced = (number, size)
                openBatchFD()
            }
            for record in records {
                if needsRoll || (size > 0 && size + stagedCount + record.count > segmentBytes) {
                    try flushStaging()
                    try sync(batchFD >= 0 ? batchFD : fd)  // checked where its flush would be
                    try roll()
                    // `unsynced` keeps the batch's start: a failure cuts the sealed part too.
                    openBatchFD()
                }
                let offset = size + stagedCount
                locations.append(RecordLocation(segment: number, offset: UInt32(offset), length: UInt32(record.count)))
                if record.count >= Self.directWriteBytes {
                    try flushStaging()
                    try record.withUnsafeBytes { try writeLarge($0) }
                } else {
                    if stagedCount + record.count > Self.directWriteBytes { try flushStaging() }
                    if isDirect {
                        record.withUnsafeBytes { pages.stage($0) }
                    } else {
                        staging.append(contentsOf: record)
                    }
                }
            }
            if !isDirect { try flushStaging() } // direct: at writeOut (see above)
        } catch {
            abandonUnsynced(after: error)
            throw error
        }
        // Spares for the next segments once this process has written an eighth of a segment:
        // a spool that only ever writes a few records (a CLI command) never prepares any.
        if !requestedSpares && writtenHere >= segmentBytes / 8, let preparer {
            requestedSpares = true
            preparer.request()
        }
        return locations
    }

    /// Makes everything written since the last commit durable with one fdatasync (`writeOut`
    /// and `flush` on the calling thread).
    /// - Throws: `SpoolError`; then those records are cut off again, as for `write`.
    func commit() throws {
        let pending = try writeOut()
        do {
            try flush(pending)
        } catch {
            cutBack(to: pending.start)
            throw error
        }
    }

    /// A batch's records handed to the file but not yet flushed (`writeOut`).
    struct PendingFlush: Sendable {
        /// The batch's own open of the segment (see `batchFD`), closed by `flush`; -1 if the
        /// batch is durable already.
        let fd: Int32
        let path: String
        /// Where the batch's records start: a failed flush cuts the log back to here.
        let start: FlushPipeline.Position
    }

    /// Hands everything written since the last commit to the file without flushing it: the
    /// writer lanes flush it (`flush`) outside their write lock, while the next batch is written.
    /// - Throws: `SpoolError`; then those records are cut off again, as for `write`.
    func writeOut() throws -> PendingFlush {
        do {
            try flushStaging()
            let start = unsynced.map { FlushPipeline.Position(segment: $0.segment, offset: $0.offset) }
                ?? FlushPipeline.Position(segment: number, offset: size)
            // Could not be opened (out of descriptors): flush here and now instead.
            if batchFD < 0 { try sync() }
            let handed = batchFD
            batchFD = -1
            unsynced = nil
            return PendingFlush(fd: handed, path: path, start: start)
        } catch {
            abandonUnsynced(after: error)
            throw error
        }
    }

    /// Makes a batch from `writeOut` durable; on any thread, while the writer goes on.
    func flush(_ pending: PendingFlush) throws {
        guard pending.fd >= 0 else { return }
        defer { Glibc.close(pending.fd) }
        if flushFile(pending.fd) != 0 { throw SpoolError.io("fdatasync", path: pending.path, errno: errno) }
    }

    /// Cuts the log back to `start`, where a failed batch began: after a failed write, or after
    /// a failed `flush` once every batch written after it has failed too (nothing after `start`
    /// was acknowledged). Segments sealed since then are cut by name (to nothing if they began
    /// after `start`, left as empty files), so that no record of a failed batch turns up after a
    /// restart. Best effort for sealed segments: if one cannot be cut, or the process dies
    /// before they all are, those unacknowledged records come back at the next start.
    func cutBack(to start: FlushPipeline.Position) {
        staging.removeAll(keepingCapacity: true)
        pages.reset()
        unsynced = nil
        closeBatchFD()
        if start.segment < number {
            for segment in start.segment..<number {
                Self.cutSealed(directory + "/" + SegmentName.file(segment), to: segment == start.segment ? start.offset : 0)
            }
        }
        recover(to: start.segment == number ? start.offset : 0)
    }

    /// Cuts a sealed segment's file (best effort, see `cutBack`).
    private static func cutSealed(_ path: String, to offset: Int) {
        guard let fd = try? FileSystem.open(path, O_WRONLY) else { return }
        defer { Glibc.close(fd) }
        if ftruncate(fd, off_t(offset)) == 0 { _ = fdatasync(fd) }
    }

    /// After a failed write (or `writeOut`'s fallback flush): the batch's records were not
    /// acknowledged, and some may be durable already (flushed before an in-batch roll); cut them
    /// all off so nothing half-written stays between good records.
    private func abandonUnsynced(after error: any Error) {
        // Out of disk: the spares' zeros are better spent on records.
        if (error as? SpoolError)?.code == .diskFull { preparer?.discardReady() }
        cutBack(to: unsynced.map { FlushPipeline.Position(segment: $0.segment, offset: $0.offset) }
            ?? FlushPipeline.Position(segment: number, offset: size))
    }

    /// Opens the active segment again for the batch being written (`batchFD`); on failure the
    /// batch is flushed through the writer's own descriptor, under the lock.
    private func openBatchFD() {
        closeBatchFD()
        batchFD = (try? FileSystem.open(path, O_WRONLY)) ?? -1
    }

    private func closeBatchFD() {
        if batchFD >= 0 { Glibc.close(batchFD) }
        batchFD = -1
    }


    /// Bytes written by `write` but not yet handed to the file.
    private var stagedCount: Int { isDirect ? pages.stagedCount : staging.count }

    /// Hands the staged records to the file.
    private func flushStaging() throws {
        if isDirect {
            let count = pages.stagedCount
            guard count > 0 else { return }
            do {
                try pages.flush(fd: fd, at: size, path: path)
            } catch let error as SpoolError where error.code != .diskFull {
                // A file system that opens for direct I/O but refuses the write: go buffered.
                let staged = Array(pages.staged)
                setDirect(false)
                try staged.withUnsafeBytes { try FileSystem.writeAll(fd, $0, at: size, path: path) }
            }
            size += count
            writtenHere += count
            return
        }
        guard !staging.isEmpty else { return }
        let recordBytes = staging.count
        // In a spare, whole pages: the zeros after the records are on disk already but not in
        // the page cache (written with direct I/O), and a page written in part would first be
        // read from disk, inside the group commit.
        if isPrewritten {
            let end = size + recordBytes
            staging.append(contentsOf: repeatElement(0, count: (Self.pageBytes - end % Self.pageBytes) % Self.pageBytes))
        }
        try staging.withUnsafeBytes { try FileSystem.writeAll(fd, $0, at: size, path: path) }
        size += recordBytes
        writtenHere += recordBytes
        staging.removeAll(keepingCapacity: staging.capacity <= 4 * Self.directWriteBytes)
    }

    private static let pageBytes = DirectPageWriter.pageBytes

    /// Writes a record too big for staging (nothing is staged).
    private func writeLarge(_ bytes: UnsafeRawBufferPointer) throws {
        var start = 0
        // Checked at every chunk: a refused direct write turns direct I/O off for the rest.
        while start < bytes.count && isDirect {
            let end = min(bytes.count, start + pages.room)
            pages.stage(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            try flushStaging()
            start = end
        }
        guard start < bytes.count else { return }
        try FileSystem.writeAll(fd, UnsafeRawBufferPointer(rebasing: bytes[start...]), at: size, path: path)
        size += bytes.count - start
        writtenHere += bytes.count - start
    }

    /// Turns direct I/O on (for a spare just adopted) or off for the active file. On only for
    /// segment sizes of whole pages, where the kernel and file system allow it.
    private func setDirect(_ on: Bool) {
        let flags = fcntl(fd, F_GETFL)
        isDirect = on && FileSpace.directIO != 0 && segmentBytes % Self.pageBytes == 0 && flags >= 0
            && fcntl(fd, F_SETFL, flags | FileSpace.directIO) == 0
        if !isDirect && flags >= 0 && flags & FileSpace.directIO != 0 {
            _ = fcntl(fd, F_SETFL, flags & ~FileSpace.directIO)
        }
        pages.reset()
    }

    /// fdatasync of the active segment through `descriptor` (default: the writer's own).
    private func sync(_ descriptor: Int32? = nil) throws {
        if fdatasync(descriptor ?? fd) != 0 { throw SpoolError.io("fdatasync", path: path, errno: errno) }
    }

    /// After a failure: cut the segment back to `offset`; if that is impossible, roll next time.
    private func recover(to offset: Int) {
        isPrewritten = false
        if isDirect { setDirect(false) }
        if ftruncate(fd, off_t(offset)) == 0 && fdatasync(fd) == 0 {
            size = offset
        } else {
            size = offset
            needsRoll = true
        }
    }

    /// Seals the active segment (cut to its records, flushed) and starts the next one: a
    /// ready spare renamed to the next segment's name, or else a new file.
    func roll() throws {
        releaseReservation()
        if size > 0 || needsRoll {
            _ = fdatasync(fd)
        }
        let next = number + 1
        let nextPath = directory + "/" + SegmentName.file(next)
        let spareFD = adoptSpare(as: nextPath)
        let prewritten = spareFD != nil
        let newFD = try spareFD ?? FileSystem.open(nextPath, O_WRONLY | O_CREAT | O_EXCL)
        let busy = requestedSpares
        Glibc.close(fd)
        fd = newFD
        number = next
        size = 0
        writtenHere = 0
        needsRoll = false
        isPrewritten = prewritten
        // Direct I/O is off here (`releaseReservation` turned it off for the old file).
        if prewritten { setDirect(true) }
        do {
            try FileSystem.syncDirectory(directory)
        } catch {
            // The new name may not survive a crash: write nothing into it, roll again.
            needsRoll = true
            throw error
        }
        if !prewritten { reserveSpace() }
        // The spare just used (or missing) is replaced while this segment fills (not after a
        // seal by a process that hardly wrote, e.g. a CLI purge).
        if busy, let preparer {
            requestedSpares = true
            preparer.request()
        }
        // The segment before the one just sealed leaves the page cache (deliveries read the
        // newest records; older ones come from disk). Why: a page cache that grows by every
        // byte written slowed this machine's flushes to a third after 1–2 GiB. A C loop of 128 ×
        // 2 KiB appends and one fdatasync, in 64 MiB files, sustained 380 k records/s for 10 s
        // dropping the file two back, and fell from 320–370 k to 120–130 k/s without.
        if next > 2 { FileSpace.dropCache(directory + "/" + SegmentName.file(next - 2)) }
    }

    /// Moves on to a ready spare while the active segment is not one (a new spool, the segment
    /// a restart continues, or one started while the preparer was behind): its flushes are the
    /// slow kind. Called only at the start of a batch, when everything written is handed to the
    /// file (earlier batches' flushes may still run, on their own descriptors, which stay
    /// valid); the segment is sealed as it is. An empty one is left alone (a reader may have
    /// it open already).
    private func switchToSpareIfReady() throws {
        guard requestedSpares, !isPrewritten, !needsRoll, size > 0, let preparer, preparer.hasReady else { return }
        try roll()
    }

    /// A ready spare, opened and then renamed to `target` (opened first, so that a failed open
    /// leaves no file of zeros under a segment's name); nil if there is none or it cannot be
    /// used (it is deleted then).
    private func adoptSpare(as target: String) -> Int32? {
        guard let spare = preparer?.take() else { return nil }
        guard !FileSystem.exists(target), let spareFD = try? FileSystem.open(spare, O_WRONLY) else {
            unlink(spare)
            return nil
        }
        guard rename(spare, target) == 0 else {
            Glibc.close(spareFD)
            unlink(spare)
            return nil
        }
        return spareFD
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

    /// Frees the blocks reserved past the last record, or a spare's zeros after them (a
    /// truncate to the current size does both on Linux file systems): a segment sealed early,
    /// e.g. for a purge, would otherwise keep up to `segmentBytes` of disk until compaction
    /// rewrites it, and sealed segments end at their last record.
    private func releaseReservation() {
        // Also after a failed cut-back (`needsRoll`): one more try costs nothing.
        _ = ftruncate(fd, off_t(size))
        isPrewritten = false
        if isDirect { setDirect(false) }
    }

    /// Flushes and closes the file, and stops preparing spares (a ready spare stays for the
    /// next start).
    func close() {
        closeBatchFD()
        preparer?.stop()
        releaseReservation()
        _ = fdatasync(fd)
        Glibc.close(fd)
        fd = -1
    }
}
