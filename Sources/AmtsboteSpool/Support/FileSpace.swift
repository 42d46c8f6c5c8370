#if canImport(Glibc)
import Glibc
#endif

/// Reserving a file's disk blocks ahead of its writes. `fallocate(2)` is a GNU extension that
/// Swift's Glibc module does not export, so it is looked up at run time; a libc without it
/// yields nil and callers carry on without the reservation.
enum FileSpace {
    /// `FALLOC_FL_KEEP_SIZE` from `<linux/falloc.h>` (kernel ABI): allocate, leave the size.
    private static let keepSize: Int32 = 0x01

    private typealias Fallocate = @convention(c) (Int32, Int32, off_t, off_t) -> Int32

    private static let fallocate: Fallocate? = {
        #if canImport(Glibc)
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate") else { return nil }
        return unsafeBitCast(address, to: Fallocate.self)
        #else
        return nil
        #endif
    }()

    /// Allocates `length` bytes of blocks from `offset` in `fd` without changing its size.
    /// Returns false when the file system or libc cannot (or the disk is full): a hint only.
    @discardableResult
    static func reserve(_ fd: Int32, from offset: Int, length: Int) -> Bool {
        guard length > 0, let fallocate else { return false }
        return fallocate(fd, keepSize, off_t(offset), off_t(length)) == 0
    }

    /// `O_DIRECT` (kernel ABI, per architecture; Swift's Glibc module does not export this GNU
    /// flag either). Zero where unknown: callers then stay with buffered I/O.
    #if arch(x86_64) || arch(i386)
    static let directIO: Int32 = 0o40000
    #elseif arch(arm64) || arch(arm)
    static let directIO: Int32 = 0o200000
    #else
    static let directIO: Int32 = 0
    #endif

    /// Asks the kernel to drop the cached pages of the file at `path` (written-back pages
    /// only; dirty ones stay). A hint: failures are ignored.
    static func dropCache(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
        Glibc.close(fd)
    }
}
