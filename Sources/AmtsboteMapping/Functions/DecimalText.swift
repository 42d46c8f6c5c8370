import Foundation

/// Exact decimal arithmetic on number text.
///
/// Amounts and volumes go through `Decimal`, never `Double`: in binary floating point
/// 1×1.5 + 1×1.2 + 4×0.25 + 2×0.3 + 1×0.6 + 1×0.1 is 4.999999999999999, not 5.
enum DecimalText {
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// Whether `text` is a plain decimal number: optional sign, digits, optional fraction and exponent
    /// (JSON number syntax, plus a leading `+` and leading zeros, which forms do send).
    static func isNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let integer = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !integer.isEmpty else { return false }
        bytes = bytes.dropFirst(integer.count)
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            let fraction = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
            guard !fraction.isEmpty else { return false }
            bytes = bytes.dropFirst(fraction.count)
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            let exponent = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
            guard !exponent.isEmpty, exponent.count <= 3 else { return false }
            bytes = bytes.dropFirst(exponent.count)
        }
        return bytes.isEmpty
    }

    /// Whether `text` is valid as a JSON number (RFC 8259 grammar: no `+`, no leading zeros).
    static func isJSONNumber(_ text: String) -> Bool {
        guard isNumber(text), text.first != "+" else { return false }
        let digits = text.utf8.drop { $0 == UInt8(ascii: "-") }
        if digits.count > 1, digits.first == UInt8(ascii: "0"), digits.dropFirst().first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true {
            return false
        }
        return true
    }

    /// The exact value of `text`, nil if it is not a number (or has more than 38 significant digits).
    static func decimal(_ text: String) -> Decimal? {
        guard isNumber(text) else { return nil }
        let significant = text.utf8.filter { $0 >= 0x31 && $0 <= 0x39 }.count
        guard significant <= 38 else { return nil }
        return Decimal(string: text.hasPrefix("+") ? String(text.dropFirst()) : text, locale: posix)
    }

    /// Plain text of a decimal (no exponent), as `Decimal`'s description writes it.
    static func text(_ value: Decimal) -> String {
        value.description
    }

    /// Rounds half away from zero (kaufmännisches Runden) to `scale` fraction digits.
    static func rounded(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }
}
