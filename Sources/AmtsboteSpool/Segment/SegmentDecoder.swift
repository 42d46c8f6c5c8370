/// The reader half of recovery: verifies one segment's records (via `SegmentScanner`) and
/// decodes them into compact values, interning target and client names with its own tables
/// (the index builder maps those numbers to its own, using `newTargets`/`newClients`).
struct SegmentDecoder: Sendable {
    /// A message record's recovery fields; targets are `Decoded.targets[firstTarget ..< +targetCount]`.
    struct Message: Sendable {
        var id: MessageID
        var receivedAt: Int64
        var location: RecordLocation
        var client: UInt32
        var firstTarget: UInt32
        var targetCount: UInt16
        var keyHash: UInt64
    }

    enum Record: Sendable {
        case message(Message)
        case state(StateRecord)
    }

    struct Decoded: Sendable {
        var records: [Record] = []
        /// Target numbers (of this decoder's table) for all messages of the segment.
        var targets: [UInt32] = []
        /// Names first seen in this segment, in the order of their numbers.
        var newTargets: [String] = []
        var newClients: [String] = []
        /// Offset after the last intact record.
        var end = 0
    }

    let scanner: SegmentScanner
    private var targetTable = StringTable()
    private var clientTable = StringTable()

    init(scanner: SegmentScanner) {
        self.scanner = scanner
    }

    mutating func decode(path: String, number: UInt32, isLast: Bool) throws -> Decoded {
        let scanner = self.scanner
        return try decode(number: number, baseOffset: 0) { visit in
            try scanner.scan(path: path, number: number, isLast: isLast, visit: visit)
        }
    }

    /// Decodes the intact records at the start of `buffer`, which holds segment `number` from
    /// `baseOffset` on (a follower's newly read bytes); `end` is relative to `buffer`.
    mutating func decode(_ buffer: UnsafeRawBufferPointer, number: UInt32, baseOffset: Int) throws -> Decoded {
        let scanner = self.scanner
        return try decode(number: number, baseOffset: baseOffset) { visit in
            try scanner.scan(buffer, number: number, isLast: true, releasingPages: false, visit: visit)
        }
    }

    private mutating func decode(
        number: UInt32,
        baseOffset: Int,
        scan: ((RecordKind, UnsafeRawBufferPointer, Int) throws -> Void) throws -> Int
    ) throws -> Decoded {
        var decoded = Decoded()
        let knownTargets = targetTable.count
        let knownClients = clientTable.count
        var targetTable = self.targetTable
        var clientTable = self.clientTable
        decoded.end = try scan { kind, record, offset in
            guard kind == .message else {
                decoded.records.append(.state(try StateRecord(decoding: record, kind: kind)))
                return
            }
            let first = decoded.targets.count
            let view = try MessageRecord.scan(record) { decoded.targets.append(targetTable.intern($0)) }
            decoded.records.append(
                .message(
                    Message(
                        id: view.id,
                        receivedAt: view.receivedAtMilliseconds,
                        location: RecordLocation(segment: number, offset: UInt32(baseOffset + offset), length: UInt32(record.count)),
                        client: clientTable.intern(view.clientID),
                        firstTarget: UInt32(first),
                        targetCount: UInt16(decoded.targets.count - first),
                        keyHash: view.idempotencyKey.map { KeyHash.of(client: view.clientID, key: $0) } ?? 0
                    )
                )
            )
        }
        decoded.newTargets = Array(targetTable.strings[knownTargets...])
        decoded.newClients = Array(clientTable.strings[knownClients...])
        self.targetTable = targetTable
        self.clientTable = clientTable
        return decoded
    }
}
