/// A header value of the form `token; name=value; name="quoted value"` as used by
/// `Content-Type` and `Content-Disposition`.
///
/// Parameter names are lower-cased; values keep their exact text (quoted strings unescaped).
/// RFC 5987/8187 extended values (`filename*=UTF-8''na%C3%AFve.pdf`) are decoded and take
/// precedence over the plain parameter of the same name.
package struct HeaderValue: Sendable, Equatable {
    /// The leading token, lower-cased (`multipart/form-data`, `form-data`).
    package let value: String
    /// Parameters by lower-cased name.
    package let parameters: [String: String]

    package init(value: String, parameters: [String: String]) {
        self.value = value
        self.parameters = parameters
    }

    /// Parses a header value; nil when the leading token is empty or a quoted string is unterminated.
    package init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var index = 0
        func skipSpace() { while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 } }
        skipSpace()
        let valueStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
        let value = String(decoding: bytes[valueStart..<index], as: UTF8.self).trimmingASCIISpaces().lowercased()
        guard !value.isEmpty else { return nil }
        var plain: [String: String] = [:]
        var extended: [String: String] = [:]
        while index < bytes.count {
            index += 1  // the ';'
            skipSpace()
            let nameStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ";") { index += 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).trimmingASCIISpaces().lowercased()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                continue  // a bare token without value: ignored
            }
            index += 1
            skipSpace()
            var parameterValue: [UInt8] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                        parameterValue.append(bytes[index + 1])
                        index += 2
                    } else if byte == UInt8(ascii: "\"") {
                        index += 1
                        closed = true
                        break
                    } else {
                        parameterValue.append(byte)
                        index += 1
                    }
                }
                guard closed else { return nil }
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
            } else {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ";") { index += 1 }
                parameterValue = Array(String(decoding: bytes[start..<index], as: UTF8.self).trimmingASCIISpaces().utf8)
            }
            guard !name.isEmpty else { continue }
            if name.hasSuffix("*") {
                if let decoded = Self.decodeExtendedValue(parameterValue) {
                    extended[String(name.dropLast())] = decoded
                }
            } else {
                plain[name] = String(decoding: parameterValue, as: UTF8.self)
            }
        }
        self.value = value
        self.parameters = plain.merging(extended) { _, extendedValue in extendedValue }
    }

    /// `UTF-8'lang'percent-encoded` (RFC 8187); only UTF-8 is accepted, as the RFC requires of senders.
    private static func decodeExtendedValue(_ bytes: [UInt8]) -> String? {
        let parts = bytes.split(separator: UInt8(ascii: "'"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, String(decoding: parts[0], as: UTF8.self).lowercased() == "utf-8" else { return nil }
        var out: [UInt8] = []
        var index = parts[2].startIndex
        let encoded = parts[2]
        while index < encoded.endIndex {
            if encoded[index] == UInt8(ascii: "%") {
                guard encoded.distance(from: index, to: encoded.endIndex) >= 3,
                    let byte = UInt8(String(decoding: encoded[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                else { return nil }
                out.append(byte)
                index += 3
            } else {
                out.append(encoded[index])
                index += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation needed on the hot path).
    func trimmingASCIISpaces() -> String {
        let utf8 = Array(self.utf8)
        var start = 0
        var end = utf8.count
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { start += 1 }
        while end > start, utf8[end - 1] == 0x20 || utf8[end - 1] == 0x09 { end -= 1 }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }
}
