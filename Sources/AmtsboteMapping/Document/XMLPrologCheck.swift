/// Checks the bytes before the root element of an XML document, before any XML parser sees them.
///
/// A DOCTYPE is refused outright: it is how entity expansion ("billion laughs"), external entities
/// (XXE) and external DTD loading get in, and no portal submission needs one. The check runs on the
/// raw bytes so that it does not depend on how the parser library treats DTDs. Only UTF-8 is
/// accepted (XÖV prescribes it), which also keeps this byte-level check sound.
enum XMLPrologCheck {
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            throw DocumentError(.syntax, line: 1, column: 1, reason: "only UTF-8 XML is accepted (found a UTF-16 byte order mark)")
        }
        if let bad = UTF8Validation.firstInvalidOffset(bytes) {
            let (line, column) = TextPosition.lineAndColumn(of: bad, in: bytes)
            throw DocumentError(.invalidUTF8, line: line, column: column, reason: "invalid UTF-8 byte sequence")
        }
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                i += 1
                continue
            }
            guard byte == UInt8(ascii: "<"), i + 1 < n else { return }
            if bytes[i + 1] == UInt8(ascii: "?") {
                guard let end = find("?>", in: bytes, from: i + 2) else { return }
                try checkDeclaredEncoding(bytes, from: i, to: end)
                i = end + 2
            } else if matches("<!--", in: bytes, at: i) {
                guard let end = find("-->", in: bytes, from: i + 4) else { return }
                i = end + 3
            } else if bytes[i + 1] == UInt8(ascii: "!") {
                // <!DOCTYPE (in any spelling) or any other markup declaration before the root.
                let (line, column) = TextPosition.lineAndColumn(of: i, in: bytes)
                throw DocumentError(.doctypeRefused, line: line, column: column,
                                    reason: "DOCTYPE and DTD declarations are not accepted")
            } else {
                return // the root element starts here
            }
        }
    }

    /// Refuses an XML declaration that names an encoding other than UTF-8 (or its subset US-ASCII).
    private static func checkDeclaredEncoding(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) throws {
        guard matches("<?xml", in: bytes, at: start) else { return }
        let declaration = String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< end]), as: UTF8.self).lowercased()
        guard let range = declaration.range(of: "encoding") else { return }
        let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        let name = rest.prefix { $0 != "\"" && $0 != "'" && $0 != " " }
        guard name == "utf-8" || name == "utf8" || name == "us-ascii" else {
            let (line, column) = TextPosition.lineAndColumn(of: start, in: bytes)
            throw DocumentError(.syntax, line: line, column: column, reason: "only UTF-8 XML is accepted")
        }
    }

    private static func matches(_ literal: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        for k in 0 ..< count where bytes[offset + k] != literal.utf8Start[k] {
            return false
        }
        return true
    }

    private static func find(_ literal: StaticString, in bytes: UnsafeBufferPointer<UInt8>, from offset: Int) -> Int? {
        var i = offset
        while i + literal.utf8CodeUnitCount <= bytes.count {
            if matches(literal, in: bytes, at: i) { return i }
            i += 1
        }
        return nil
    }
}
