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
    // That large blocks stay mmapped with the tuning is checked in a fresh process
    // (EndToEndTests/AllocatorTuningProcessTests): in this process, memory other tests freed can
    // serve a large block from an arena whatever the threshold.

    /// What runs after each purge: free blocks in the middle of an arena (below the mmap
    /// threshold, not at the arena's top, so `free` cannot trim them) leave memory.
    @Test("releaseFreeMemory returns the pages of freed blocks inside an arena")
    func releaseFreeMemory() throws {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let blockSize = 96 * 1024
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<48 {
            let block = try #require(malloc(blockSize))
            memset(block, 0x5A, blockSize)
            blocks.append(block)
        }
        let pin = try #require(malloc(blockSize))  // keeps the freed blocks off the arena's top
        defer { free(pin) }
        let middles = blocks.map { Self.pageStart($0 + blockSize / 2, pageSize: pageSize) }
        #expect(middles.allSatisfy { Self.isResident($0, pageSize: pageSize) })
        for block in blocks { free(block) }
        #expect(AllocatorTuning.releaseFreeMemory())
        // Other tests allocate concurrently and may reuse a few of the freed blocks.
        let stillResident = middles.filter { Self.isResident($0, pageSize: pageSize) }.count
        #expect(stillResident <= 8, "\(stillResident) of 48 freed blocks still resident after malloc_trim")
    }

    private static func pageStart(_ address: UnsafeMutableRawPointer, pageSize: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: Int(bitPattern: address) & ~(pageSize - 1))!
    }

    /// Whether the page at `page` is in RAM (`mincore`), without touching it.
    private static func isResident(_ page: UnsafeMutableRawPointer, pageSize: Int) -> Bool {
        var vector: UInt8 = 0
        return mincore(page, pageSize, &vector) == 0 && vector & 1 != 0
    }

    #endif
}
