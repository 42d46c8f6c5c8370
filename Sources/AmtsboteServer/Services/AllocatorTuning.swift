#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for the long-running `serve` process, applied once at start-up.
///
/// Why: `amtsbote bench e2e --skip-throughput --duration 600` (100 submissions/s, retention 1m,
/// purge every 30 s) showed the server's RSS climbing 41712 → 63924 KiB in 400 s, in steps at
/// purge times. `malloc_info` (taken with gdb at ~314 s) showed 22864 KiB held by the malloc
/// arenas of which 16770 KiB were *free* and only 6093 KiB in use (the index of the 6,000–9,000
/// messages of the last 60–90 s, HTTP buffers; 5676 KiB at ~586 s: no leak); the free memory
/// sat in three of the eight arenas, with free chunks of 100–660 KiB among it. Each
/// purge builds transient copies (the index without the purged messages, the rewritten segment,
/// the set of live ids), growing with index and segment, on whatever thread it runs. glibc's
/// *dynamic* mmap threshold rises to the size of the largest mmapped block freed (up to 32 MiB),
/// so after the first purge these blocks no longer come from `mmap` (returned on `free`) but from
/// the arena of the current thread, and each arena keeps up to twice that size free at its top
/// (the trim threshold rises with it). With up to 8 × cores arenas (NIO event loops, the
/// cooperative pool, the spool writer), every arena a purge happened to run on kept its peak.
///
/// So: a fixed mmap threshold (setting either threshold turns glibc's dynamic adjustment off):
/// blocks of 128 KiB and more are mapped and unmapped, never retained; a fixed trim threshold of
/// the same size; and at most `arenaMax` arenas, which bounds what fragmentation of small blocks
/// can retain. `releaseFreeMemory()` (after each purge) gives free pages inside the arenas back
/// as well. With these settings two runs of the same benchmark stayed between 45568 and
/// 46208 KiB from 160 s to 600 s, second-half trend −41 and −17 KiB/min (docs/bench-e2e.md).
///
/// An operator who sets `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`
/// or a `glibc.malloc.*` tunable in `GLIBC_TUNABLES` keeps full control: then nothing is changed.
package enum AllocatorTuning {
    /// At most this many malloc arenas (glibc's default is 8 × cores).
    package static let arenaMax: Int32 = 2
    /// Blocks this large or larger are mmapped (glibc's initial value, but fixed).
    package static let mmapThreshold: Int32 = 128 * 1024
    /// Free memory above this at the top of an arena is returned at once (glibc's initial value, but fixed).
    package static let trimThreshold: Int32 = 128 * 1024

    /// What `apply` did.
    package enum Outcome: Equatable, Sendable {
        /// The settings are in effect.
        case applied
        /// The environment names this allocator setting; the operator's choice stands.
        case leftToEnvironment(String)
        /// Not glibc (or `mallopt` refused a value): the allocator's defaults stay.
        case unavailable
    }

    /// Applies the settings unless the environment configures the allocator. Call early, before
    /// the process has started its thread pools (arenas that exist already stay).
    package static func apply(environment: [String: String]) -> Outcome {
        if let name = environmentOverride(environment) { return .leftToEnvironment(name) }
        guard let mallopt = GlibcMalloc.mallopt else { return .unavailable }
        let applied = mallopt(GlibcMalloc.mmapThresholdOption, mmapThreshold) == 1
            && mallopt(GlibcMalloc.trimThresholdOption, trimThreshold) == 1
            && mallopt(GlibcMalloc.arenaMaxOption, arenaMax) == 1
        return applied ? .applied : .unavailable
    }

    /// Returns free pages held inside every arena to the kernel (`malloc_trim(0)`); true if
    /// memory was released. Costs one pass over the free lists; meant for after a purge.
    @discardableResult
    package static func releaseFreeMemory() -> Bool {
        guard let trim = GlibcMalloc.mallocTrim else { return false }
        return trim(0) == 1
    }

    /// The first environment variable that configures glibc malloc, if any.
    static func environmentOverride(_ environment: [String: String]) -> String? {
        for name in ["MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"] where environment[name] != nil {
            return name
        }
        if let tunables = environment["GLIBC_TUNABLES"], tunables.contains("glibc.malloc.") {
            return "GLIBC_TUNABLES"
        }
        return nil
    }
}
