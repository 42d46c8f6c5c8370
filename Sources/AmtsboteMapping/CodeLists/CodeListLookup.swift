/// A compiled `codelist:` function: which list, which column, and the versions loaded for it.
///
/// The version is taken from the document when it names one (XÖV `listVersionID`), so a message is
/// always looked up in the version it was written against; `version:` in the mapping is the fallback
/// for documents that carry bare codes.
struct CodeListLookup: Sendable {
    var uri: String
    var pinnedVersion: String?
    /// Column name to return; nil = each version's first non-key column.
    var column: String?
    var versions: [String: CodeList]

    enum Failure: Error {
        case wrongList
        case versionMissing(String)
        case noVersion
        case codeMissing(version: String)
        case columnMissing(version: String)
    }

    /// Looks `code` up in the version `documentVersion` (or the fallback).
    func lookup(code: String, documentURI: String?, documentVersion: String?) -> Result<String, Failure> {
        if let documentURI, !ExactText.equal(documentURI, uri) {
            return .failure(.wrongList)
        }
        let version: String
        if let documentVersion {
            version = documentVersion
        } else if let pinnedVersion {
            version = pinnedVersion
        } else if versions.count == 1, let only = versions.keys.first {
            version = only
        } else {
            return .failure(.noVersion)
        }
        guard let list = versions[version] else { return .failure(.versionMissing(version)) }
        let columnIndex: Int?
        if let column {
            columnIndex = list.columns.firstIndex(of: column)
        } else {
            columnIndex = list.defaultValueColumn
        }
        guard let columnIndex else { return .failure(.columnMissing(version: version)) }
        guard let value = list.lookup(code, column: columnIndex) else { return .failure(.codeMissing(version: version)) }
        return .success(value)
    }
}
