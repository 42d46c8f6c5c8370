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
        /// Bytes read but not yet decoded (a record still being written), starting at `pendingOffset`.
        var pending: [UInt8] = []
        var pendingOffset = 0

        init(segmentsDirectory: String) throws {
            self.segmentsDirectory = segmentsDirectory
            decoder = SegmentDecoder(
                scanner: SegmentScanner(corruptDirectory: "", events: { _ in }, keepsCorruptBytes: false)
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
                pending = []
                pendingOffset = 0
            }
        }

        private mutating func readActive(collecting: Bool) throws -> [JobChange] {
            if file == nil {
                guard FileSystem.exists(path(segment)) else { return [] }
                file = try SegmentReader(path: path(segment))
            }
            guard let file else { return [] }
            let fresh = try file.read(from: pendingOffset + pending.count)
            guard !fresh.isEmpty else { return [] }
            pending += fresh
            let number = segment
            let offset = pendingOffset
            var decoder = self.decoder
            let decoded = try pending.withUnsafeBytes { try decoder.decode($0, number: number, baseOffset: offset) }
            self.decoder = decoder
            pending.removeFirst(decoded.end)
            pendingOffset += decoded.end
            let changes = replayer.apply(decoded, to: &index, collectingChanges: collecting)
            return collecting ? index.publicChanges(changes) : []
        }
    }
}

/// Reads a segment file from an offset to its current end through a descriptor kept open.
private final class SegmentReader {
    private let fd: Int32
    private let path: String

    init(path: String) throws {
        self.path = path
        fd = try FileSystem.open(path, O_RDONLY)
    }

    deinit { close(fd) }

    func read(from offset: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var position = offset
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SpoolError.io("read", path: path, errno: errno, reading: true)
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
            position += count
        }
    }
}
