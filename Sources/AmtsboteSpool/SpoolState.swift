/// Everything behind the spool's one lock: the index, open segment files and segment sizes.
struct SpoolState: Sendable {
    var index: SpoolIndex
    /// Segments opened for reading, by number (opened lazily, bounded).
    var files: [UInt32: SegmentFile] = [:]
    /// Bytes per segment file, for stats.
    var segmentSizes: [UInt32: Int]
    var segmentsDirectory: String
    var isClosed = false
    /// (client, idempotency key) pairs of accepts in flight, as exact bytes: a second accept
    /// with the same pair is refused until the first is in the index (or failed).
    var pendingKeys = Set<PendingKey>()
    /// The segment the writer appends to (kept up to date by the writer lanes, in log order).
    var activeSegment: UInt32
    /// Group commits since open, and the records they carried.
    var flushes = 0
    var recordsWritten = 0

    /// Most segment files kept open for reading.
    static let maxOpenFiles = 256

    /// The reader for segment `number`, opening it if needed.
    mutating func file(_ number: UInt32) throws -> SegmentFile {
        if let file = files[number] { return file }
        if files.count >= Self.maxOpenFiles, let victim = files.keys.first {
            // Readers hold their own reference, so dropping it from the cache is always safe.
            files.removeValue(forKey: victim)
        }
        let file = try SegmentFile(number: number, path: segmentsDirectory + "/" + SegmentName.file(number))
        files[number] = file
        return file
    }
}
