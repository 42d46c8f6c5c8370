/// Writes an ``OutputValue`` as JSON (UTF-8), with string bytes passed through unchanged and numbers
/// written with their exact text.
struct JSONOutputWriter {
    var pretty: Bool
    private(set) var bytes: [UInt8] = []

    init(pretty: Bool, capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ value: OutputValue) {
        write(value, indent: 0)
        bytes.append(0x0A)
    }

    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0 ..< indent * 2 { bytes.append(0x20) }
    }

    private mutating func write(_ value: OutputValue, indent: Int) {
        switch value {
        case .string(let text): writeString(text)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .boolean(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .object(let members):
            writeContainer(open: "{", close: "}", count: members.count, indent: indent) { writer, offset in
                writer.writeString(members[offset].name.key)
                writer.bytes.append(UInt8(ascii: ":"))
                if writer.pretty { writer.bytes.append(0x20) }
                writer.write(members[offset].value, indent: indent + 1)
            }
        case .array(let items):
            writeContainer(open: "[", close: "]", count: items.count, indent: indent) { writer, offset in
                writer.write(items[offset], indent: indent + 1)
            }
        }
    }

    private mutating func writeContainer(open: Unicode.Scalar, close: Unicode.Scalar, count: Int, indent: Int, entry: (inout JSONOutputWriter, Int) -> Void) {
        bytes.append(UInt8(ascii: open))
        guard count > 0 else {
            bytes.append(UInt8(ascii: close))
            return
        }
        for offset in 0 ..< count {
            if offset > 0 { bytes.append(UInt8(ascii: ",")) }
            newline(indent + 1)
            entry(&self, offset)
        }
        newline(indent)
        bytes.append(UInt8(ascii: close))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Copy runs of bytes that need no escape in one go; escape the rest byte by byte.
            var runStart = 0
            for index in 0 ..< utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F else { continue }
                if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< index])) }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                }
            }
            if utf8.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< utf8.count])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
