/// Writes rows of scalar values as CSV (RFC 4180 quoting; separator and line ending configurable).
struct CSVOutputWriter {
    let spec: OutputSpec
    private(set) var bytes: [UInt8] = []

    init(spec: OutputSpec) {
        self.spec = spec
    }

    mutating func writeRow(_ cells: [String]) {
        for (offset, cell) in cells.enumerated() {
            if offset > 0 { bytes.append(contentsOf: spec.separator.utf8) }
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
