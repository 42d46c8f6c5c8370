import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Start-up: scans every segment in order, verifies every CRC, replays records into a fresh
/// index, cuts a torn tail off the active segment and keeps unreadable bytes in `corrupt/`.
///
/// Two stages run side by side: a reader thread verifies CRCs and decodes records segment by
/// segment (`SegmentDecoder`), while the calling thread builds the index from the segments
/// already decoded. The CRC check is the larger half of start-up work, so on two cores this
/// roughly halves the wall time; the reader runs at most two segments ahead, bounding memory.
///
/// Jobs that were being delivered when the process died come back `queued`: claims are never
/// written to the log, so replay cannot see them.
struct Recovery {
    struct Result {
        var index: SpoolIndex
        var activeSegment: UInt32
        var activeSize: Int
        var segmentSizes: [UInt32: Int]
    }

    var segmentsDirectory: String
    var corruptDirectory: String
    var segmentBytes: Int
    var events: SpoolEventSink

    init(segmentsDirectory: String, corruptDirectory: String, segmentBytes: Int, events: @escaping SpoolEventSink) {
        self.segmentsDirectory = segmentsDirectory
        self.corruptDirectory = corruptDirectory
        self.segmentBytes = segmentBytes
        self.events = events
    }

    func run() throws -> Result {
        var numbers: [UInt32] = []
        for name in try FileSystem.list(segmentsDirectory) {
            if let number = SegmentName.number(name) {
                numbers.append(number)
            } else if name.hasSuffix(".tmp") {
                // Left by a compaction that did not finish; the original segment is intact.
                unlink(segmentsDirectory + "/" + name)
            }
        }
        numbers.sort()

        let pipeline = DecodePipeline(count: numbers.count)
        let decoder = SegmentDecoder(scanner: SegmentScanner(corruptDirectory: corruptDirectory, events: events))
        let paths = numbers.map { segmentsDirectory + "/" + SegmentName.file($0) }
        let reader = Thread { [numbers] in
            var decoder = decoder
            for (position, number) in numbers.enumerated() {
                pipeline.waitForRoom()
                if pipeline.isCancelled { break }
                let result = Swift.Result {
                    try decoder.decode(path: paths[position], number: number, isLast: position == numbers.count - 1)
                }
                pipeline.deliver(result, at: position)
            }
            pipeline.readerDone()
        }
        reader.name = "amtsbote-spool-recovery"
        reader.start()
        defer {
            pipeline.cancel()
            pipeline.waitForReader()
        }

        var index = SpoolIndex()
        var replayer = DecodedReplayer()
        var sizes: [UInt32: Int] = [:]
        var activeSize = 0
        for (position, number) in numbers.enumerated() {
            let decoded = try pipeline.take(at: position).get()
            replayer.apply(decoded, to: &index, collectingChanges: false)
            let isLast = position == numbers.count - 1
            if isLast {
                try truncate(paths[position], to: decoded.end)
                activeSize = decoded.end
            }
            sizes[number] = isLast ? decoded.end : try FileSystem.size(paths[position])
        }
        let active = numbers.last ?? 1
        return Result(index: index, activeSegment: active, activeSize: activeSize, segmentSizes: sizes)
    }

    private func truncate(_ path: String, to size: Int) throws {
        let fd = try FileSystem.open(path, O_WRONLY)
        defer { close(fd) }
        if try FileSystem.size(fd, path: path) != size {
            if ftruncate(fd, off_t(size)) != 0 { throw SpoolError.io("truncate", path: path, errno: errno) }
            if fsync(fd) != 0 { throw SpoolError.io("fsync", path: path, errno: errno) }
        }
    }
}

/// Hands decoded segments from the reader thread to the index builder, in order, with at most
/// two segments decoded ahead.
private final class DecodePipeline: Sendable {
    private let results: Mutex<[Result<SegmentDecoder.Decoded, any Error>?]>
    private let ready: [DispatchSemaphore]
    private let room = DispatchSemaphore(value: 2)
    private let finished = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)

    init(count: Int) {
        results = Mutex(Array(repeating: nil, count: count))
        ready = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func waitForRoom() { room.wait() }

    func deliver(_ result: Result<SegmentDecoder.Decoded, any Error>, at position: Int) {
        results.withLock { $0[position] = result }
        ready[position].signal()
    }

    func take(at position: Int) -> Result<SegmentDecoder.Decoded, any Error> {
        ready[position].wait()
        room.signal()
        return results.withLock { results in
            defer { results[position] = nil }
            return results[position]!
        }
    }

    func readerDone() { finished.signal() }

    /// Stops the reader after its current segment (on success it has finished anyway).
    func cancel() {
        cancelled.store(true, ordering: .releasing)
        room.signal()
        room.signal()
    }

    func waitForReader() { finished.wait() }
}
