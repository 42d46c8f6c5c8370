import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Start-up: scans every segment in order, verifies every CRC, replays records into a fresh
/// index, cuts a torn tail off the active segment and keeps unreadable bytes in `corrupt/`.
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
    /// Reused for each message's target numbers (no allocation per record).
    private var targetScratch: [UInt32] = []

    init(segmentsDirectory: String, corruptDirectory: String, segmentBytes: Int, events: @escaping SpoolEventSink) {
        self.segmentsDirectory = segmentsDirectory
        self.corruptDirectory = corruptDirectory
        self.segmentBytes = segmentBytes
        self.events = events
    }

    mutating func run() throws -> Result {
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

        var index = SpoolIndex()
        var sizes: [UInt32: Int] = [:]
        let scanner = SegmentScanner(corruptDirectory: corruptDirectory, events: events)
        var activeSize = 0
        for number in numbers {
            let path = segmentsDirectory + "/" + SegmentName.file(number)
            let isLast = number == numbers.last
            let end = try scanner.scan(path: path, number: number, isLast: isLast) { kind, record, offset in
                try replay(kind, record, offset: offset, segment: number, into: &index)
            }
            if isLast {
                try truncate(path, to: end)
                activeSize = end
            }
            sizes[number] = isLast ? end : try FileSystem.size(path)
        }
        let active = numbers.last ?? 1
        return Result(index: index, activeSegment: active, activeSize: activeSize, segmentSizes: sizes)
    }

    private mutating func replay(_ kind: RecordKind, _ record: UnsafeRawBufferPointer, offset: Int, segment: UInt32, into index: inout SpoolIndex) throws {
        switch kind {
        case .message:
            var targets = targetScratch
            targets.removeAll(keepingCapacity: true)
            let view = try MessageRecord.scan(record) { targets.append(index.target(bytes: $0)) }
            targetScratch = targets
            let client = index.client(bytes: view.clientID)
            let keyHash = view.idempotencyKey.map { KeyHash.of(client: view.clientID, key: $0) } ?? 0
            _ = index.insert(
                id: view.id,
                location: RecordLocation(segment: segment, offset: UInt32(offset), length: UInt32(record.count)),
                receivedAt: view.receivedAtMilliseconds,
                client: client,
                targets: targets,
                keyHash: keyHash
            )
        default:
            index.apply(try StateRecord(decoding: record, kind: kind))
        }
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
