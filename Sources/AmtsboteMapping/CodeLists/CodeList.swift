/// One version of one code list (an XÖV Schlüsseltabelle), identified by its URI and version.
struct CodeList: Sendable {
    /// `listURI` / genericode `CanonicalUri`.
    var uri: String
    /// `listVersionID` / genericode `Version`.
    var version: String
    /// Column names in file order.
    var columns: [String]
    /// Index of the column holding the codes.
    var keyColumn: Int
    /// Rows keyed by code.
    var rows: [String: [String]]
    /// File it was read from.
    var file: String

    /// The default value column: the first column that is not the key.
    var defaultValueColumn: Int? {
        columns.indices.first { $0 != keyColumn }
    }

    /// Value of `column` for `code`, nil if the code is not in the list.
    func lookup(_ code: String, column: Int) -> String? {
        guard let row = rows[code], column < row.count else { return nil }
        return row[column]
    }
}
