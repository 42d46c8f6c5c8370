#if canImport(Glibc)
import Glibc
#endif

/// Stages records for a file opened with `O_DIRECT` and writes them in whole aligned pages.
///
/// Direct I/O writes only page-aligned ranges from page-aligned memory, so the records of the
/// partly written last page are kept at the start of the buffer and written again, with the
/// new records after them, by the next flush; the rest of that page is written as zeros (what
/// a spare holds there anyway). Rewriting the start of the page is safe across a crash: its
/// bytes are the ones already on disk, so a torn write leaves them as they were.
///
/// Why direct I/O for spares: records then skip the page cache. At concurrency 128 the
/// buffered writes and their write-back took about a third of the process's CPU samples
/// (page allocation, buffer heads, copying), CPU that the accepting callers need between
/// flushes (bench spool c=128, interleaved 10-s runs: 170 and 174 k/s buffered, 206 and
/// 184 k/s direct).
final class DirectPageWriter {
    static let pageBytes = 4096
    /// Writes all of a buffer at a file offset (`FileSystem.writeAll`).
    typealias Write = (Int32, UnsafeRawBufferPointer, Int, String) throws -> Void
    private let write: Write
    /// Page-aligned memory: the partial page's records, then the staged records.
    private let buffer: UnsafeMutableRawBufferPointer
    /// Bytes at the start of `buffer` that are already in the file (the partial last page).
    private var tailCount = 0
    /// Bytes staged after the tail, not yet written.
    private(set) var stagedCount = 0

    /// - Parameter capacity: the most bytes staged (and written per `pwrite`, plus a page).
    init(capacity: Int, write: @escaping Write = FileSystem.writeAll) {
        self.write = write
        let pages = (capacity + Self.pageBytes - 1) / Self.pageBytes + 1
        buffer = .allocate(byteCount: pages * Self.pageBytes, alignment: Self.pageBytes)
    }

    deinit { buffer.deallocate() }

    /// Room for this many more bytes before a flush is needed.
    var room: Int { buffer.count - tailCount - stagedCount }

    /// Starts over in a file whose records end at offset 0 (a new spare), or drops what was
    /// staged after a failure.
    func reset() {
        tailCount = 0
        stagedCount = 0
    }

    /// Copies `bytes` (at most `room`) after the staged ones.
    func stage(_ bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count <= room, "direct staging overrun")
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (buffer.baseAddress! + tailCount + stagedCount).copyMemory(from: source, byteCount: bytes.count)
        stagedCount += bytes.count
    }

    /// The staged bytes, e.g. to write them the ordinary way after direct I/O failed.
    var staged: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[tailCount..<(tailCount + stagedCount)])
    }

    /// Writes the staged bytes at `offset`, the end of the file's records (where the last
    /// flush ended, or 0 after `reset`), padded with zeros to a whole page. Nothing is staged
    /// afterwards; on failure the staged bytes stay (see `staged`).
    func flush(fd: Int32, at offset: Int, path: String) throws {
        guard stagedCount > 0 else { return }
        precondition(offset % Self.pageBytes == tailCount, "direct write not at the end of the records")
        let end = tailCount + stagedCount
        let padded = (end + Self.pageBytes - 1) / Self.pageBytes * Self.pageBytes
        (buffer.baseAddress! + end).initializeMemory(as: UInt8.self, repeating: 0, count: padded - end)
        try write(fd, UnsafeRawBufferPointer(rebasing: buffer[0..<padded]), offset - tailCount, path)
        let lastPage = end / Self.pageBytes * Self.pageBytes
        tailCount = end - lastPage
        if tailCount > 0 && lastPage > 0 {
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + lastPage, byteCount: tailCount)
        }
        stagedCount = 0
    }
}
