import Foundation

/// A small strict JSON parser (RFC 8259) that reads straight into the neutral tree.
///
/// Written by hand rather than with `JSONSerialization` because that turns numbers into `Double`
/// (85000.50 would become 85000.5 and large integers would lose digits), silently keeps the last of
/// duplicate keys, and gives no line:column. Here numbers keep their exact text, duplicate keys are
/// refused, invalid UTF-8 is refused, and nesting is bounded.
struct JSONDocumentReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: DocumentLimits
    private var position = 0
    private var builder: DocumentTreeBuilder
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: DocumentLimits) {
        self.bytes = bytes
        self.limits = limits
        // The input is copied once into the document's byte buffer, so names and values are ranges of it.
        self.builder = DocumentTreeBuilder(maxNodes: limits.maxNodes, capacity: max(16, bytes.count / 16), bytes: Array(bytes))
    }

    /// Parses `data` into a document.
    static func read(_ data: Data, limits: DocumentLimits) throws -> SourceDocument {
        try data.withUnsafeBytes { raw -> SourceDocument in
            let bytes = raw.bindMemory(to: UInt8.self)
            if let bad = UTF8Validation.firstInvalidOffset(bytes) {
                let (line, column) = TextPosition.lineAndColumn(of: bad, in: bytes)
                throw DocumentError(.invalidUTF8, line: line, column: column, reason: "invalid UTF-8 byte sequence")
            }
            var reader = JSONDocumentReader(bytes: bytes, limits: limits)
            return try reader.readDocument()
        }
    }

    private mutating func readDocument() throws -> SourceDocument {
        // A UTF-8 byte order mark is tolerated (RFC 8259 §8.1 allows parsers to ignore it).
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < bytes.count else {
            throw error(.empty, "document is empty")
        }
        try readValue(name: .empty, parent: -1)
        skipWhitespace()
        guard position == bytes.count else {
            throw error(.syntax, "unexpected data after the top-level value")
        }
        return builder.build(format: .json)
    }

    private mutating func readValue(name: TextRange, parent: Int32) throws {
        guard position < bytes.count else { throw error(.syntax, "unexpected end of document, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try readObject(name: name, parent: parent)
        case UInt8(ascii: "["): try readArray(name: name, parent: parent)
        case UInt8(ascii: "\""):
            let text = try readString()
            try append(.string, name: name, text: text, parent: parent)
        case UInt8(ascii: "t"):
            let start = position
            try expectLiteral("true")
            try append(.boolean, name: name, text: TextRange(start: Int32(start), count: 4), parent: parent)
        case UInt8(ascii: "f"):
            let start = position
            try expectLiteral("false")
            try append(.boolean, name: name, text: TextRange(start: Int32(start), count: 5), parent: parent)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            try append(.null, name: name, text: .empty, parent: parent)
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            let text = try readNumber()
            try append(.number, name: name, text: text, parent: parent)
        default:
            throw error(.syntax, "unexpected character, expected a value")
        }
    }

    @discardableResult
    private mutating func append(_ kind: DocumentNode.Kind, name: TextRange, text: TextRange, parent: Int32) throws -> Int32 {
        guard let index = builder.append(kind, name: name, text: text, parent: parent) else {
            throw error(.tooManyNodes, "more than \(limits.maxNodes) nodes")
        }
        return index
    }

    private mutating func readObject(name: TextRange, parent: Int32) throws {
        let index = try append(.object, name: name, text: .empty, parent: parent)
        var keys = KeySet()
        try readContainer(close: UInt8(ascii: "}"), what: "object") { reader in
            guard reader.position < reader.bytes.count, reader.bytes[reader.position] == UInt8(ascii: "\"") else {
                throw reader.error(.syntax, "expected a string key")
            }
            let keyStart = reader.position
            let key = try reader.readString()
            // Keys are compared by their bytes, as paths are.
            if !keys.insert(key, in: reader.builder.bytes) {
                reader.position = keyStart
                throw reader.error(.duplicateKey, "duplicate key \(Self.preview(reader.builder.bytes, key))")
            }
            reader.skipWhitespace()
            guard reader.position < reader.bytes.count, reader.bytes[reader.position] == UInt8(ascii: ":") else {
                throw reader.error(.syntax, "expected ':' after key")
            }
            reader.position += 1
            reader.skipWhitespace()
            try reader.readValue(name: key, parent: index)
        }
    }

    private mutating func readArray(name: TextRange, parent: Int32) throws {
        let index = try append(.array, name: name, text: .empty, parent: parent)
        try readContainer(close: UInt8(ascii: "]"), what: "array") { reader in
            try reader.readValue(name: .empty, parent: index)
        }
    }

    /// Reads the members or items of an object or array (after its node was appended): `element`
    /// reads one entry, this handles brackets, commas, depth and errors.
    private mutating func readContainer(close: UInt8, what: String, element: (inout JSONDocumentReader) throws -> Void) throws {
        depth += 1
        guard depth <= limits.maxDepth else {
            throw error(.tooDeep, "nesting deeper than \(limits.maxDepth)")
        }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == close {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard position < bytes.count else { throw error(.syntax, "unexpected end of document inside an \(what)") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == close {
                position += 1
                depth -= 1
                return
            }
            throw error(.syntax, "expected ',' or '\(Character(Unicode.Scalar(close)))' in \(what)")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error(.syntax, "unexpected end of document") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for k in 0 ..< count where bytes[position + k] != expected[k] {
            throw error(.syntax, "invalid literal, expected \(literal)")
        }
        position += count
    }

    private mutating func readNumber() throws -> TextRange {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error(.syntax, "invalid number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw error(.syntax, "invalid number: leading zero")
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error(.syntax, "invalid number: digit expected after '.'") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error(.syntax, "invalid number: digit expected in exponent") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        return TextRange(start: Int32(start), count: Int32(position - start))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Reads a string; returns the range of its (unescaped) bytes: inside the input when the string
    /// has no escapes, else appended to the buffer.
    private mutating func readString() throws -> TextRange {
        position += 1 // opening quote
        let start = position
        // Fast path: no escapes, the value is a slice of the input.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let range = TextRange(start: Int32(start), count: Int32(position - start))
                position += 1
                return range
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error(.syntax, "control character in string") }
            position += 1
        }
        let outStart = builder.bytes.count
        builder.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start ..< position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return TextRange(start: Int32(outStart), count: Int32(builder.bytes.count - outStart))
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { break }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): builder.bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): builder.bytes.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): builder.bytes.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): builder.bytes.append(0x08)
                case UInt8(ascii: "f"): builder.bytes.append(0x0C)
                case UInt8(ascii: "n"): builder.bytes.append(0x0A)
                case UInt8(ascii: "r"): builder.bytes.append(0x0D)
                case UInt8(ascii: "t"): builder.bytes.append(0x09)
                case UInt8(ascii: "u"):
                    position -= 2
                    let scalar = try readUnicodeEscape()
                    builder.bytes.append(contentsOf: UTF8.encode(scalar)!)
                default:
                    position -= 1
                    throw error(.syntax, "invalid escape sequence")
                }
            default:
                if byte < 0x20 { throw error(.syntax, "control character in string") }
                builder.bytes.append(byte)
                position += 1
            }
        }
        throw error(.syntax, "unterminated string")
    }

    /// Reads `\uXXXX` (and a following low surrogate when the first is a high surrogate).
    private mutating func readUnicodeEscape() throws -> Unicode.Scalar {
        let escapeStart = position
        let high = try readHex4()
        if (0xD800 ... 0xDBFF).contains(high) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                position = escapeStart
                throw error(.syntax, "unpaired surrogate in \\u escape")
            }
            let low = try readHex4()
            guard (0xDC00 ... 0xDFFF).contains(low) else {
                position = escapeStart
                throw error(.syntax, "unpaired surrogate in \\u escape")
            }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return Unicode.Scalar(value)!
        }
        guard let scalar = Unicode.Scalar(high) else {
            position = escapeStart
            throw error(.syntax, "unpaired surrogate in \\u escape")
        }
        return scalar
    }

    /// Reads `\uXXXX` at `position` and returns the code unit.
    private mutating func readHex4() throws -> UInt32 {
        position += 2 // backslash, u
        guard position + 4 <= bytes.count else { throw error(.syntax, "incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error(.syntax, "invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func error(_ code: DocumentError.Code, _ reason: String) -> DocumentError {
        let (line, column) = TextPosition.lineAndColumn(of: position, in: bytes)
        return DocumentError(code, line: line, column: column, reason: reason)
    }

    /// At most a few characters of document content, for error messages.
    static func preview(_ buffer: [UInt8], _ range: TextRange) -> String {
        let text = String(decoding: buffer[Int(range.start) ..< Int(range.start + range.count)], as: UTF8.self)
        let limit = 12
        return text.count <= limit ? "\"\(text)\"" : "\"\(text.prefix(limit))…\""
    }
}
