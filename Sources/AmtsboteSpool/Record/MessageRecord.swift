import Foundation

/// Encodes and decodes the `message` record.
///
/// Body layout (after the kind byte): `metaLength u32`, then the metadata —
/// id, received time (ms), client, content type, targets, idempotency key, form id,
/// content digest, payload length, attachment descriptors — then the payload bytes and the
/// attachment bytes. Metadata comes first so that recovery and `message(id)` read a few
/// hundred bytes, never the payload.
enum MessageRecord {
    /// Everything in a message record except the payload and attachment bytes.
    struct Envelope: Sendable {
        var id: MessageID
        var receivedAtMilliseconds: Int64
        var clientID: String
        var contentType: String
        var targets: [String]
        var idempotencyKey: String?
        var formID: String?
        var contentDigest: String?
        var payloadLength: Int
        var attachments: [AttachmentInfo]
        /// Offset of the payload from the start of the record (header included).
        var dataOffset: Int
    }

    /// Bytes before the metadata: header, kind byte, metadata length.
    static let prefixBytes = RecordFrame.headerBytes + 1 + 4

    /// The whole framed record for a new message.
    static func encode(_ message: NewMessage, id: MessageID, receivedAtMilliseconds: Int64) -> [UInt8] {
        var writer = RecordFrame.start(.message, capacity: 512 + message.contentBytes)
        writer.u32(0)  // metadata length, patched below
        let metadataStart = writer.count
        writer.id(id)
        writer.i64(receivedAtMilliseconds)
        writer.string(message.clientID)
        writer.string(message.contentType)
        writer.u16(UInt16(message.targets.count))
        for target in message.targets { writer.string(target) }
        writer.optionalString(message.idempotencyKey)
        writer.optionalString(message.formID)
        writer.optionalString(message.contentDigest)
        writer.u32(UInt32(message.payload.count))
        writer.u16(UInt16(message.attachments.count))
        for attachment in message.attachments {
            writer.string(attachment.name)
            writer.optionalString(attachment.filename)
            writer.string(attachment.contentType)
            writer.u32(UInt32(attachment.data.count))
        }
        writer.patchU32(UInt32(writer.count - metadataStart), at: metadataStart - 4)
        writer.raw(message.payload)
        for attachment in message.attachments { writer.raw(attachment.data) }
        var bytes = writer.bytes
        RecordFrame.seal(&bytes)
        return bytes
    }

    /// Length of the metadata of the record starting at `record` (header included), or nil
    /// if fewer than `prefixBytes` are given.
    static func metadataLength(_ record: UnsafeRawBufferPointer) -> Int? {
        guard record.count >= prefixBytes else { return nil }
        return Int(UInt32(littleEndian: record.loadUnaligned(fromByteOffset: prefixBytes - 4, as: UInt32.self)))
    }

    /// Decodes the envelope from a buffer holding at least the record's prefix and metadata.
    static func envelope(_ record: UnsafeRawBufferPointer) throws -> Envelope {
        guard let metadataLength = metadataLength(record), record.count >= prefixBytes + metadataLength else {
            throw SpoolError(.corrupt, "message record too short")
        }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: record[0..<(prefixBytes + metadataLength)]), position: prefixBytes)
        let id = try reader.id()
        let receivedAt = try reader.i64()
        let clientID = try reader.string()
        let contentType = try reader.string()
        let targetCount = Int(try reader.u16())
        var targets: [String] = []
        targets.reserveCapacity(targetCount)
        for _ in 0..<targetCount { targets.append(try reader.string()) }
        let idempotencyKey = try reader.optionalString()
        let formID = try reader.optionalString()
        let contentDigest = try reader.optionalString()
        let payloadLength = Int(try reader.u32())
        let attachmentCount = Int(try reader.u16())
        var attachments: [AttachmentInfo] = []
        for _ in 0..<attachmentCount {
            let name = try reader.string()
            let filename = try reader.optionalString()
            let contentType = try reader.string()
            let size = Int(try reader.u32())
            attachments.append(AttachmentInfo(name: name, filename: filename, contentType: contentType, size: size))
        }
        return Envelope(
            id: id,
            receivedAtMilliseconds: receivedAt,
            clientID: clientID,
            contentType: contentType,
            targets: targets,
            idempotencyKey: idempotencyKey,
            formID: formID,
            contentDigest: contentDigest,
            payloadLength: payloadLength,
            attachments: attachments,
            dataOffset: prefixBytes + metadataLength
        )
    }

    /// Decodes payload and attachments from the whole record.
    static func payload(_ record: UnsafeRawBufferPointer) throws -> MessagePayload {
        let envelope = try envelope(record)
        var reader = ByteReader(record, position: envelope.dataOffset)
        let payload = try reader.data(envelope.payloadLength)
        var attachments: [Attachment] = []
        for info in envelope.attachments {
            attachments.append(
                Attachment(name: info.name, filename: info.filename, contentType: info.contentType, data: try reader.data(info.size))
            )
        }
        guard reader.remaining == 0 else { throw SpoolError(.corrupt, "message record has trailing bytes") }
        return MessagePayload(payload: payload, attachments: attachments)
    }

    /// What recovery needs from a message record, as views into the mapped segment (no copies).
    struct ScanView {
        var id: MessageID
        var receivedAtMilliseconds: Int64
        var clientID: UnsafeRawBufferPointer
        var idempotencyKey: UnsafeRawBufferPointer?
    }

    /// Reads the recovery fields of a CRC-checked record without making strings or arrays;
    /// `target` gets each target name's bytes in order.
    static func scan(_ record: UnsafeRawBufferPointer, target: (UnsafeRawBufferPointer) -> Void) throws -> ScanView {
        guard let metadataLength = metadataLength(record), record.count >= prefixBytes + metadataLength else {
            throw SpoolError(.corrupt, "message record too short")
        }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: record[0..<(prefixBytes + metadataLength)]), position: prefixBytes)
        let id = try reader.id()
        let receivedAt = try reader.i64()
        guard let clientID = try reader.stringBytes() else { throw SpoolError(.corrupt, "message record lacks client") }
        _ = try reader.stringBytes()
        let targetCount = Int(try reader.u16())
        for _ in 0..<targetCount {
            guard let name = try reader.stringBytes() else { throw SpoolError(.corrupt, "message record lacks target") }
            target(name)
        }
        let key = try reader.stringBytes()
        return ScanView(id: id, receivedAtMilliseconds: receivedAt, clientID: clientID, idempotencyKey: key)
    }
}
