import Testing

@testable import AmtsboteServer

#if canImport(Glibc)
import Glibc
#endif

@Suite("Allocator tuning")
struct AllocatorTuningTests {
    @Test("The operator's malloc environment wins; unrelated tunables do not count")
    func environmentOverride() {
        #expect(AllocatorTuning.apply(environment: ["MALLOC_ARENA_MAX": "4"]) == .leftToEnvironment("MALLOC_ARENA_MAX"))
        #expect(AllocatorTuning.apply(environment: ["MALLOC_MMAP_THRESHOLD_": "65536"]) == .leftToEnvironment("MALLOC_MMAP_THRESHOLD_"))
        #expect(
            AllocatorTuning.apply(environment: ["GLIBC_TUNABLES": "glibc.pthread.rseq=0:glibc.malloc.arena_max=3"])
                == .leftToEnvironment("GLIBC_TUNABLES")
        )
        #expect(AllocatorTuning.environmentOverride(["GLIBC_TUNABLES": "glibc.pthread.rseq=0", "PATH": "/usr/bin"]) == nil)
    }

    #if canImport(Glibc)
    /// The mechanism behind serve's RSS growth: by default glibc raises its mmap threshold to the
    /// size of a freed mmapped block, so the next, smaller large block comes from an arena and
    /// stays there after `free`. With the tuning the threshold is fixed: it is mapped again.
    @Test("After a large block is freed, the next large block is still mmapped (no dynamic threshold)")
    func largeBlocksStayMapped() throws {
        #expect(AllocatorTuning.apply(environment: [:]) == .applied)
        let first = try #require(malloc(4 * 1024 * 1024))
        #expect(Self.isMapped(first))
        free(first)
        let second = try #require(malloc(512 * 1024))
        defer { free(second) }
        #expect(Self.isMapped(second), "a 512 KiB block after freeing 4 MiB came from an arena: the mmap threshold moved")
        let small = try #require(malloc(64 * 1024))
        defer { free(small) }
        #expect(!Self.isMapped(small))
    }

    @Test("malloc_info is readable and lists the arenas")
    func statistics() throws {
        let xml = try #require(GlibcMalloc.statistics())
        #expect(xml.hasPrefix("<malloc version="))
        #expect(xml.contains("<heap nr=\"0\">"))
    }

    /// glibc keeps each chunk's size word just before the pointer it returns; bit 1 (IS_MMAPPED)
    /// marks chunks that got their own mapping.
    private static func isMapped(_ pointer: UnsafeMutableRawPointer) -> Bool {
        (pointer - MemoryLayout<Int>.size).load(as: Int.self) & 2 != 0
    }
    #endif
}
