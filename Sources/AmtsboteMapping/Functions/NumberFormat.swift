import Foundation

/// `number:` formatting: fixed fraction digits, decimal and grouping separators (e.g. `1.234,50`).
struct NumberFormat: Sendable {
    /// Fraction digits; nil keeps the digits the value has.
    var decimals: Int?
    var decimalSeparator: String = "."
    var groupingSeparator: String = ""

    /// Formats `text`; nil if it is not a decimal number.
    func format(_ text: String) -> String? {
        guard var value = DecimalText.decimal(text) else { return nil }
        if let decimals { value = DecimalText.rounded(value, scale: decimals) }
        var plain = DecimalText.text(value)
        var negative = false
        if plain.hasPrefix("-") {
            negative = true
            plain.removeFirst()
        }
        var integer = plain
        var fraction = ""
        if let dot = plain.firstIndex(of: ".") {
            integer = String(plain[..<dot])
            fraction = String(plain[plain.index(after: dot)...])
        }
        if let decimals {
            if fraction.count < decimals { fraction += String(repeating: "0", count: decimals - fraction.count) }
        } else if let original = Self.fractionDigits(of: text), original > fraction.count {
            // Keep trailing zeros the sender wrote (5.00 stays 5.00), which Decimal drops.
            fraction += String(repeating: "0", count: original - fraction.count)
        }
        if !groupingSeparator.isEmpty, integer.count > 3 {
            var grouped = ""
            for (offset, digit) in integer.enumerated() {
                if offset > 0, (integer.count - offset) % 3 == 0 { grouped += groupingSeparator }
                grouped.append(digit)
            }
            integer = grouped
        }
        if negative, !(integer.allSatisfy { $0 == "0" || !$0.isNumber } && fraction.allSatisfy { $0 == "0" }) {
            integer = "-" + integer
        }
        return fraction.isEmpty ? integer : integer + decimalSeparator + fraction
    }

    /// Fraction digits written in `text` when it has no exponent.
    private static func fractionDigits(of text: String) -> Int? {
        guard !text.contains("e"), !text.contains("E"), let dot = text.firstIndex(of: ".") else { return nil }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }
}
