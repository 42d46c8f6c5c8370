/// Where a record lives: segment number, byte offset of its header, total bytes.
struct RecordLocation: Sendable, Hashable {
    var segment: UInt32
    var offset: UInt32
    var length: UInt32
}
