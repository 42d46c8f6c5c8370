import Foundation

/// Appends little-endian integers and length-prefixed strings to a byte array: the record encoding.
struct ByteWriter {
    private(set) var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

    mutating func id(_ id: MessageID) {
        u64(id.high)
        u64(id.low)
    }

    /// A string of at most `ByteWriter.maxStringBytes` bytes, prefixed by its length.
    mutating func string(_ value: String) {
        let utf8 = value.utf8
        precondition(utf8.count <= Self.maxStringBytes, "validated by the caller")
        u16(UInt16(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// An optional string; nil is the length 0xFFFF.
    mutating func optionalString(_ value: String?) {
        guard let value else {
            u16(Self.absent)
            return
        }
        string(value)
    }

    /// Appends with one memcpy (`append(contentsOf: Data)` would go byte by byte through Data's iterator).
    mutating func raw(_ data: Data) {
        data.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// Overwrites 4 bytes at `offset` (for lengths known only after the body is written).
    mutating func patchU32(_ value: UInt32, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { source in
            for index in 0..<4 { bytes[offset + index] = source[index] }
        }
    }

    /// Longest string a record can hold (one less than the nil marker).
    static let maxStringBytes = 0xFFFE
    static let absent: UInt16 = 0xFFFF
}
