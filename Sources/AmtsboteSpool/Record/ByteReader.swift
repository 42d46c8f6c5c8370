import Foundation

/// Reads what `ByteWriter` wrote, from a raw buffer; every read is bounds-checked and throws
/// `SpoolError.corrupt` instead of trapping, because the bytes come from disk.
struct ByteReader {
    private let buffer: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ buffer: UnsafeRawBufferPointer, position: Int = 0) {
        self.buffer = buffer
        self.position = position
    }

    var remaining: Int { buffer.count - position }

    private mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw SpoolError(.corrupt, "record body ends early")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: buffer[position..<(position + count)])
    }

    mutating func u8() throws -> UInt8 { try take(1)[0] }

    mutating func u16() throws -> UInt16 { UInt16(littleEndian: try take(2).loadUnaligned(as: UInt16.self)) }

    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }

    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self)) }

    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }

    mutating func id() throws -> MessageID {
        let high = try u64()
        return MessageID(high: high, low: try u64())
    }

    mutating func string() throws -> String {
        let length = try u16()
        guard length != ByteWriter.absent else { throw SpoolError(.corrupt, "missing string in record") }
        return String(decoding: try take(Int(length)), as: UTF8.self)
    }

    mutating func optionalString() throws -> String? {
        let length = try u16()
        guard length != ByteWriter.absent else { return nil }
        return String(decoding: try take(Int(length)), as: UTF8.self)
    }

    /// The raw bytes of a length-prefixed string, without making a `String` (hot recovery path).
    mutating func stringBytes() throws -> UnsafeRawBufferPointer? {
        let length = try u16()
        guard length != ByteWriter.absent else { return nil }
        return try take(Int(length))
    }

    mutating func bytes(_ count: Int) throws -> UnsafeRawBufferPointer { try take(count) }

    mutating func data(_ count: Int) throws -> Data { Data(try take(count)) }

    mutating func skip(_ count: Int) throws { _ = try take(count) }
}
