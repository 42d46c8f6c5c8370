/// How the output is written.
struct OutputSpec: Sendable {
    enum Format: String, Sendable {
        case json
        case xml
        case csv
    }

    var format: Format
    /// JSON/XML: indent nested structures (2 spaces).
    var pretty: Bool = true
    /// XML: root element.
    var root: OutputName?
    /// XML: prefix → URI declared on the root element (sorted by prefix).
    var namespaces: [(prefix: String, uri: String)] = []
    /// XML: default namespace declared on the root element.
    var defaultNamespace: String?
    /// XML: write `<?xml version="1.0" encoding="UTF-8"?>`.
    var declaration: Bool = true
    /// CSV: field separator.
    var separator: String = ";"
    /// CSV: write a header line with the field names.
    var header: Bool = true
    /// CSV: line ending.
    var lineEnding: String = "\r\n"
    /// CSV: quote every field instead of only those that need it.
    var quoteAll: Bool = false
    /// CSV: prefix values that a spreadsheet would run as a formula with `'` (see ``CSVFormulaGuard``).
    /// Off by default because importers that read the file need the submitted bytes unchanged.
    var neutralizeFormulas: Bool = false
    /// CSV: one row per node selected by this path (fields relative to it); nil = one row.
    var rows: PathExpression?

    var contentType: String {
        switch format {
        case .json: return "application/json"
        case .xml: return "application/xml"
        case .csv: return "text/csv; charset=utf-8"
        }
    }
}
