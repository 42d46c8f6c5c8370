/// The spool's segment files: how big each grows before the next is started, and how many
/// zero-filled spares are kept ready (a flush into a spare overwrites written blocks and
/// carries no file-system metadata; docs/benchmarks.md has the measured effect).
package struct SegmentsConfiguration: Sendable, Equatable {
    /// Bytes per segment before the next one starts. Default 64 MiB. Purge frees disk a whole
    /// segment at a time, so smaller segments give space back sooner, larger ones roll less.
    package var sizeBytes: Int
    /// Spares kept ready. Default 2; 0 turns them off. They take `prepared × size` of disk.
    package var prepared: Int

    package init(sizeBytes: Int = 64 << 20, prepared: Int = 2) {
        self.sizeBytes = sizeBytes
        self.prepared = prepared
    }

    /// The allowed segment sizes: whole 4 KiB pages (direct I/O writes whole pages), at least
    /// 1 MiB, at most 1 GiB (record offsets are 32-bit).
    package static let sizeRange = (1 << 20)...(1 << 30)
    package static let preparedRange = 0...16
}
