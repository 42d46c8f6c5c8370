import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Follows a spool's log read-only, without its lock, and reports every job change written
/// to it: what `amtsbote queue watch` shows, whether the spool is used by a running server
/// or by other CLI commands.
///
/// It replays the segments once (like start-up, but writing nothing), then polls the active
/// segment for new records. It keeps the segment it reads open, so a purge that rewrites a
/// sealed segment cannot change the bytes under it. Claims (`delivering`) are not written to
/// the log, so a follower sees a job go from `queued` straight to its result.
package struct SpoolFollower: Sendable {
    package let directory: URL
    package var pollInterval: Duration

    package init(directory: URL, pollInterval: Duration = .milliseconds(100)) {
        self.directory = directory
        self.pollInterval = pollInterval
    }

    /// Changes from now on, until the stream's consumer stops. Bounded (newest kept).
    /// - Throws: `.noSpool` if there is no spool at `directory`.
    package func changes(bufferSize: Int = 10_000) throws -> AsyncStream<JobChange> {
        let segments = directory.path + "/segments"
        guard FileSystem.exists(segments) else { throw SpoolError(.noSpool, "spool \(directory.path) does not exist") }
        let interval = pollInterval
        return AsyncStream(bufferingPolicy: .bufferingNewest(bufferSize)) { continuation in
            let task = Task {
                var follower: Tail?
                while !Task.isCancelled {
                    do {
                        if follower == nil { follower = try Tail(segmentsDirectory: segments) }
                        for change in try follower!.poll() { continuation.yield(change) }
                    } catch {
                        // A segment vanished (purged) or a read failed: start over from the files.
                        follower = nil
                    }
                    try? await Task.sleep(for: interval)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The follower's state: an index of its own and a read position in the active segment.
    private struct Tail {
        let segmentsDirectory: String
        var index = SpoolIndex()
        var replayer = DecodedReplayer()
        var decoder: SegmentDecoder
        var segment: UInt32
        var file: SegmentReader?
        /// Where the records not yet decoded start in the active segment.
        var readOffset = 0

        init(segmentsDirectory: String) throws {
            self.segmentsDirectory = segmentsDirectory
            decoder = SegmentDecoder(
                scanner: SegmentScanner(
                    corruptDirectory: "",
                    events: { _ in },
                    keepsCorruptBytes: false,
                    waitsForIncompleteRecords: true
                )
            )
            let numbers = try FileSystem.list(segmentsDirectory).compactMap(SegmentName.number).sorted()
            segment = numbers.last ?? 1
            // Sealed segments: replay silently.
            for number in numbers.dropLast() {
                let decoded = try decoder.decode(path: path(number), number: number, isLast: false)
                replayer.apply(decoded, to: &index, collectingChanges: false)
            }
            _ = try readActive(collecting: false)
        }

        private func path(_ number: UInt32) -> String { segmentsDirectory + "/" + SegmentName.file(number) }

        /// New changes since the last call.
        mutating func poll() throws -> [JobChange] {
            var changes: [JobChange] = []
            while true {
                // Check for a successor before reading: if it exists, this segment is complete.
                let sealed = FileSystem.exists(path(segment + 1))
                changes += try readActive(collecting: true)
                guard sealed else { return changes }
                segment += 1
                file = nil
                readOffset = 0
            }
        }

        /// Decodes the records written since the last read. Reads a chunk at a time and stops
        /// at the first bytes that are not an intact record: the end of the file, the zeros of
        /// a zero-filled segment (which is longer than its records, so reading to its end would
        /// read up to `segmentBytes` every poll), or a write in progress, read again next time.
        private mutating func readActive(collecting: Bool) throws -> [JobChange] {
            if file == nil {
                guard FileSystem.exists(path(segment)) else { return [] }
                file = try SegmentReader(path: path(segment))
            }
            guard let file else { return [] }
            var changes: [SpoolIndex.Change] = []
            var pending: [UInt8] = []
            while true {
                let fresh = try file.read(at: readOffset + pending.count, count: Self.chunkBytes)
                guard !fresh.isEmpty else { break }
                pending += fresh
                let number = segment
                let offset = readOffset
                var decoder = self.decoder
                let decoded = try pending.withUnsafeBytes { try decoder.decode($0, number: number, baseOffset: offset) }
                self.decoder = decoder
                pending.removeFirst(decoded.end)
                readOffset += decoded.end
                changes += replayer.apply(decoded, to: &index, collectingChanges: collecting)
                // Read on only while the bytes left are the start of a record longer than
                // what has been read of it.
                let rest = pending.withUnsafeBytes { RecordFrame.check($0, at: 0) }
                guard rest == .truncated || (rest == .fragment && fresh.count == Self.chunkBytes) else { break }
            }
            return collecting ? index.publicChanges(changes) : []
        }

        private static let chunkBytes = 1 << 20
    }
}

/// Reads a segment file through a descriptor kept open.
private final class SegmentReader {
    private let fd: Int32
    private let path: String

    init(path: String) throws {
        self.path = path
        fd = try FileSystem.open(path, O_RDONLY)
    }

    deinit { close(fd) }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    func read(at offset: Int, count: Int) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = result.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset + filled)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SpoolError.io("read", path: path, errno: errno, reading: true)
            }
            if got == 0 { break }
            filled += got
        }
        result.removeLast(count - filled)
        return result
    }
}
