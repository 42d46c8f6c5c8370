import Foundation

/// An exact running sum that stays in `Int` while all addends are small integers (the usual case:
/// counts of employees, items) and switches to `Decimal` on the first fraction or overflow.
struct DecimalSum {
    private var integer = 0
    private var decimal: Decimal?
    private var any = false

    /// Adds a number given as text; false if the text is not a decimal number.
    mutating func add(_ text: String) -> Bool {
        if decimal == nil, let value = Self.smallInteger(text) {
            let (sum, overflow) = integer.addingReportingOverflow(value)
            if !overflow {
                integer = sum
                any = true
                return true
            }
        }
        guard let value = DecimalText.decimal(text) else { return false }
        add(value)
        return true
    }

    /// Adds an exact decimal.
    mutating func add(_ value: Decimal) {
        decimal = (decimal ?? Decimal(integer)) + value
        any = true
    }

    /// The sum as plain decimal text; nil if nothing was added.
    var text: String? {
        guard any else { return nil }
        if let decimal { return DecimalText.text(decimal) }
        return String(integer)
    }

    /// `text` as an Int if it is an optionally signed integer of at most 18 digits.
    private static func smallInteger(_ text: String) -> Int? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 19 else { return nil }
        var digits = utf8[...]
        if digits.first == UInt8(ascii: "-") || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }
}
