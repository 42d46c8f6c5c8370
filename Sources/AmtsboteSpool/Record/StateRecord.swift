import Foundation

/// A small record about one job: every change after acceptance is one of these.
///
/// Body layout (after the kind byte): id (16), target (u16 + UTF-8), time ms (i64),
/// due ms (i64, -1 if none), state byte (for `released`: the state it returns to; else 0);
/// `attempt` records continue with outcome u8, HTTP status i32 (-1 none), duration µs i64,
/// next attempt ms i64 (-1 none), error (optional string).
struct StateRecord: Sendable, Equatable {
    var kind: RecordKind
    var messageID: MessageID
    var target: String
    var atMilliseconds: Int64
    var dueMilliseconds: Int64?
    var state: JobState?
    var attempt: Attempt?

    func encode() -> [UInt8] {
        var writer = RecordFrame.start(kind, capacity: 64 + target.utf8.count + (attempt?.error?.utf8.count ?? 0))
        writer.id(messageID)
        writer.string(target)
        writer.i64(atMilliseconds)
        writer.i64(dueMilliseconds ?? -1)
        writer.u8(state?.rawValue ?? 0)
        if let attempt {
            writer.u8(attempt.outcome.rawValue)
            writer.u32(UInt32(bitPattern: Int32(clamping: attempt.status ?? -1)))
            let (seconds, attoseconds) = attempt.duration.components
            writer.i64(seconds &* 1_000_000 &+ attoseconds / 1_000_000_000_000)
            writer.i64(attempt.nextAttemptAt.map(Milliseconds.from) ?? -1)
            writer.optionalString(attempt.error)
        }
        var bytes = writer.bytes
        RecordFrame.seal(&bytes)
        return bytes
    }

    /// Decodes a CRC-checked record (header included) of a state kind.
    init(decoding record: UnsafeRawBufferPointer, kind: RecordKind) throws {
        var reader = ByteReader(record, position: RecordFrame.headerBytes + 1)
        self.kind = kind
        messageID = try reader.id()
        target = try reader.string()
        atMilliseconds = try reader.i64()
        let due = try reader.i64()
        dueMilliseconds = due >= 0 ? due : nil
        let stateByte = try reader.u8()
        state = JobState(rawValue: stateByte)
        if kind == .attempt {
            let outcome = Attempt.Outcome(rawValue: try reader.u8())
            let status = Int32(bitPattern: try reader.u32())
            let micros = try reader.i64()
            let next = try reader.i64()
            let error = try reader.optionalString()
            attempt = Attempt(
                at: Milliseconds.date(atMilliseconds),
                outcome: outcome,
                status: status >= 0 ? Int(status) : nil,
                error: error,
                duration: .microseconds(micros),
                nextAttemptAt: next >= 0 ? Milliseconds.date(next) : nil
            )
        } else {
            attempt = nil
        }
        guard reader.remaining == 0 else { throw SpoolError(.corrupt, "state record has trailing bytes") }
    }

    init(
        kind: RecordKind,
        messageID: MessageID,
        target: String,
        atMilliseconds: Int64,
        dueMilliseconds: Int64? = nil,
        state: JobState? = nil,
        attempt: Attempt? = nil
    ) {
        self.kind = kind
        self.messageID = messageID
        self.target = target
        self.atMilliseconds = atMilliseconds
        self.dueMilliseconds = dueMilliseconds
        self.state = state
        self.attempt = attempt
    }
}
