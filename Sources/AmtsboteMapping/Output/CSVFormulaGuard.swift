/// Recognises CSV cells that a spreadsheet would run as a formula (OWASP "CSV Injection").
///
/// Spreadsheets treat a cell that starts with `=`, `+`, `-`, `@`, TAB or CR as a formula, and a
/// formula can fetch URLs or start programs (DDE) on the clerk's desktop. A citizen types these
/// values into the portal, so with `neutralizeFormulas: true` such a cell gets a leading `'`, which
/// makes the spreadsheet show it as text. A plain decimal number (`-12.5`, `+3`, `-0,75`) is what
/// the spreadsheet would read as that number anyway, so it is left unchanged; anything else that
/// starts with a trigger (`+49 30 1234`, `-1.234,50`, `=1+1`) is prefixed.
enum CSVFormulaGuard {
    /// The prefix OWASP recommends: spreadsheets show the rest of the cell as text.
    static let prefix = "'"

    /// Whether `cell` starts with a formula trigger and is not a plain decimal number.
    static func needsPrefix(_ cell: String) -> Bool {
        guard let first = cell.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isUnsignedDecimal(cell.utf8.dropFirst())
        default:
            return false
        }
    }

    /// Digits, optionally followed by one `.` or `,` and more digits (no grouping, no exponent).
    private static func isUnsignedDecimal(_ bytes: Substring.UTF8View) -> Bool {
        var sawDigit = false
        var sawSeparator = false
        var digitsAfterSeparator = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"):
                if sawSeparator { digitsAfterSeparator = true } else { sawDigit = true }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard sawDigit, !sawSeparator else { return false }
                sawSeparator = true
            default:
                return false
            }
        }
        return sawDigit && (!sawSeparator || digitsAfterSeparator)
    }
}
