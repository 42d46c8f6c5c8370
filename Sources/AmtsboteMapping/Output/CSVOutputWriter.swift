/// Writes rows of scalar values as CSV (RFC 4180 quoting; separator and line ending configurable).
struct CSVOutputWriter {
    let spec: OutputSpec
    private(set) var bytes: [UInt8] = []

    init(spec: OutputSpec) {
        self.spec = spec
    }

    /// The header line. Column names come from the mapping, not from a submission, so they are
    /// never prefixed; with `neutralizeFormulas` the compiler refuses names that start a formula.
    mutating func writeHeader(_ names: [String]) {
        write(names, neutralizing: false)
    }

    /// One row of values taken from a submission.
    mutating func writeRow(_ cells: [String]) {
        write(cells, neutralizing: spec.neutralizeFormulas)
    }

    private mutating func write(_ cells: [String], neutralizing: Bool) {
        for (offset, original) in cells.enumerated() {
            if offset > 0 { bytes.append(contentsOf: spec.separator.utf8) }
            // The prefix goes in before the quoting decision: a separator made of `'` then needs quotes.
            let cell = neutralizing && CSVFormulaGuard.needsPrefix(original) ? CSVFormulaGuard.prefix + original : original
            let needsQuotes = spec.quoteAll || cell.contains(spec.separator) || cell.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                bytes.append(UInt8(ascii: "\""))
                for byte in cell.utf8 {
                    if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                    bytes.append(byte)
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: cell.utf8)
            }
        }
        bytes.append(contentsOf: spec.lineEnding.utf8)
    }
}
