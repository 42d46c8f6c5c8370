#if canImport(Glibc)
import Glibc
#endif

/// glibc's malloc control functions, looked up at run time: `<malloc.h>` is not part of Swift's
/// Glibc module, and a libc without them (musl) simply yields nil.
enum GlibcMalloc {
    /// `mallopt` option numbers from `<malloc.h>` (part of glibc's ABI).
    static let trimThresholdOption: Int32 = -1
    static let mmapThresholdOption: Int32 = -3
    static let arenaMaxOption: Int32 = -8

    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    typealias MallocTrim = @convention(c) (Int) -> Int32

    static let mallopt: Mallopt? = symbol("mallopt")
    static let mallocTrim: MallocTrim? = symbol("malloc_trim")

    private static func symbol<Function>(_ name: String) -> Function? {
        #if canImport(Glibc)
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
        #else
        return nil
        #endif
    }
}
