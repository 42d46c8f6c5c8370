import Foundation
import Testing

@testable import AmtsboteSpool

@Suite struct CodecTests {
    @Test func crc32cMatchesTheStandardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        // Chaining equals one pass, for every split point.
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for split in 0...bytes.count {
            let first = CRC32C.checksum(Array(bytes[..<split]))
            #expect(CRC32C.checksum(Array(bytes[split...]), continuing: first) == CRC32C.checksum(bytes))
        }
    }

    @Test func crc32cSoftwareMatchesTheStandardCheckValue() {
        let check = Array("123456789".utf8)
        #expect(check.withUnsafeBytes { CRC32C.software($0) } == 0xE306_9283)
    }

    /// The CPU instruction and the tables must agree for every length, alignment and chaining
    /// (records written with one are read back on machines that may use the other).
    @Test(.enabled(if: CRC32C.usesHardware)) func crc32cHardwareAgreesWithTheTables() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<600).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes.withUnsafeBytes { raw in
            for start in 0..<9 {
                for end in stride(from: start, through: raw.count, by: 7) {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                    let seed = UInt32(truncatingIfNeeded: end &* 2_654_435_761)
                    #expect(CRC32C.checksum(slice, continuing: seed) == CRC32C.software(slice, continuing: seed))
                }
            }
        }
    }

    @Test func messageIDRoundTripsAndSorts() throws {
        let generator = MessageID.Generator()
        var previous: MessageID?
        for _ in 0..<1000 {
            let id = generator.next()
            let text = id.description
            #expect(text.utf8.count == 26)
            #expect(MessageID(text) == id)
            #expect(MessageID(text.lowercased()) == id)
            if let previous { #expect(previous < id) }
            previous = id
        }
        #expect(MessageID("not an id") == nil)
        #expect(MessageID("8ZZZZZZZZZZZZZZZZZZZZZZZZZ") == nil)
        #expect(MessageID("7ZZZZZZZZZZZZZZZZZZZZZZZZZ") == MessageID(high: .max, low: .max))
    }

    @Test func messageRecordRoundTrips() throws {
        let id = MessageID.Generator().next()
        let message = sampleMessage(
            key: "k-1",
            attachments: [Attachment(name: "scan", filename: "Ausweis.pdf", contentType: "application/pdf", data: Data([0, 1, 2, 255]))]
        )
        let bytes = MessageRecord.encode(message, id: id, receivedAtMilliseconds: 1_700_000_000_123)
        try bytes.withUnsafeBytes { buffer in
            #expect(RecordFrame.check(buffer, at: 0) == .valid(kind: .message, totalBytes: bytes.count))
            let envelope = try MessageRecord.envelope(buffer)
            #expect(envelope.id == id)
            #expect(envelope.receivedAtMilliseconds == 1_700_000_000_123)
            #expect(envelope.targets == ["gewerbeamt"])
            #expect(envelope.idempotencyKey == "k-1")
            #expect(envelope.attachments.first?.filename == "Ausweis.pdf")
            let payload = try MessageRecord.payload(buffer)
            #expect(payload.payload == message.payload)
            #expect(payload.attachments == message.attachments)
        }
    }

    @Test func stateRecordRoundTrips() throws {
        let attempt = Attempt(
            at: Date(timeIntervalSince1970: 1_700_000_000.5),
            outcome: .transientFailure,
            status: 503,
            error: "HTTP 503",
            duration: .milliseconds(1234),
            nextAttemptAt: Date(timeIntervalSince1970: 1_700_000_060)
        )
        let record = StateRecord(
            kind: .attempt, messageID: MessageID.Generator().next(), target: "hundesteuer", atMilliseconds: 1_700_000_000_500,
            attempt: attempt
        )
        let bytes = record.encode()
        let decoded = try bytes.withUnsafeBytes { try StateRecord(decoding: $0, kind: .attempt) }
        #expect(decoded == record)
    }

    /// Every single flipped bit in a record is detected by the frame check.
    @Test func everyFlippedBitIsDetected() {
        let id = MessageID.Generator().next()
        let records = [
            MessageRecord.encode(sampleMessage(key: "k"), id: id, receivedAtMilliseconds: 42),
            StateRecord(kind: .deferred, messageID: id, target: "t", atMilliseconds: 1, dueMilliseconds: 2).encode(),
        ]
        for original in records {
            for bit in 0..<(original.count * 8) {
                var damaged = original
                damaged[bit / 8] ^= UInt8(1 << (bit % 8))
                let check = damaged.withUnsafeBytes { RecordFrame.check($0, at: 0) }
                if case .valid = check {
                    Issue.record("flipped bit \(bit) not detected")
                }
            }
        }
    }
}
