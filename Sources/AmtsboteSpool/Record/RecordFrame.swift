/// The frame around every record on disk:
///
/// ```
/// length  u32 LE   bytes after the CRC field (kind + body)
/// crc     u32 LE   CRC-32C of the length field, the kind byte and the body
/// kind    u8
/// body    length - 1 bytes
/// ```
///
/// The CRC covers the length too, so a flipped bit in the length cannot make the reader
/// trust a wrong boundary.
package enum RecordFrame {
    /// Bytes before the kind byte.
    package static let headerBytes = 8
    /// The largest `length` a reader believes (anything bigger is garbage, not a record).
    package static let maxLength = 1 << 30

    /// Frames `body` (which starts with 8 reserved bytes for the header) in place.
    ///
    /// Encoders reserve the header up front so that a record is built in one buffer with no copy.
    static func seal(_ bytes: inout [UInt8]) {
        let length = UInt32(bytes.count - headerBytes)
        withUnsafeBytes(of: length.littleEndian) { source in
            for index in 0..<4 { bytes[index] = source[index] }
        }
        let crc = bytes.withUnsafeBytes { raw in
            let lengthCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<4]))
            return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[headerBytes...]), continuing: lengthCRC)
        }
        withUnsafeBytes(of: crc.littleEndian) { source in
            for index in 0..<4 { bytes[4 + index] = source[index] }
        }
    }

    /// A writer with the header reserved and the kind byte written.
    static func start(_ kind: RecordKind, capacity: Int) -> ByteWriter {
        var writer = ByteWriter(capacity: capacity + headerBytes + 1)
        writer.u64(0)
        writer.u8(kind.rawValue)
        return writer
    }

    /// The outcome of looking at the bytes at one offset.
    package enum Check: Equatable {
        /// A whole, intact record of `totalBytes` (header included).
        case valid(kind: RecordKind, totalBytes: Int)
        /// The header claims more bytes than are there: a record cut short.
        case truncated
        /// Fewer than a header's bytes left.
        case fragment
        /// Header or CRC wrong.
        case invalid
    }

    /// Checks the record starting at `offset` in `buffer` (length, CRC, kind).
    package static func check(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Check {
        let available = buffer.count - offset
        guard available >= headerBytes + 1 else { return .fragment }
        let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard length >= 1, length <= maxLength else { return .invalid }
        guard headerBytes + length <= available else { return .truncated }
        let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let lengthCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + 4)]))
        let body = UnsafeRawBufferPointer(rebasing: buffer[(offset + headerBytes)..<(offset + headerBytes + length)])
        guard CRC32C.checksum(body, continuing: lengthCRC) == stored,
            let kind = RecordKind(rawValue: body[0])
        else { return .invalid }
        return .valid(kind: kind, totalBytes: headerBytes + length)
    }
}
