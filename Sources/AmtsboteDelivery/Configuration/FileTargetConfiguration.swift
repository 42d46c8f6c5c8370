import Foundation

/// Where a `file` target drops jobs: a directory (often a share the department application imports
/// from) and a file name pattern.
///
/// Placeholders in `fileName`: `{id}` message id (required: it keeps names unique and makes a
/// duplicate delivery overwrite, not add, a file), `{target}`, `{form}` form id (or `form`),
/// `{date}` `yyyyMMdd` and `{time}` `HHmmss` of acceptance (UTC), `{ext}` the mapped document's
/// file extension (`xml`, `json`, `csv`).
package struct FileTargetConfiguration: Sendable, Equatable {
    /// Directory the files appear in.
    package var directory: String
    /// File name pattern. Default `{id}.{ext}`.
    package var fileName: String
    /// Create `directory` (and parents) when missing. Default true, so `./out/<target>/` works out of
    /// the box; set false for a mounted share, so an unmounted share is a (retried) failure instead
    /// of files written onto the local mount point.
    package var createDirectory: Bool

    package init(directory: String, fileName: String = "{id}.{ext}", createDirectory: Bool = true) {
        self.directory = directory
        self.fileName = fileName
        self.createDirectory = createDirectory
    }

    /// The placeholders `fileName` may use.
    package static let placeholders: Set<String> = ["id", "target", "form", "date", "time", "ext"]

    /// Checks a pattern; returns the reason it is unusable, or nil when it is fine.
    package static func problem(inPattern pattern: String) -> String? {
        if pattern.isEmpty { return "must not be empty" }
        if pattern.contains("/") { return "must be a file name, not a path (no '/')" }
        if pattern.hasPrefix(".") { return "must not start with '.' (names starting with '.' are Amtsbote's temporary files)" }
        if pattern.hasSuffix(FileTargetConfiguration.temporarySuffix) {
            return "must not end in '\(FileTargetConfiguration.temporarySuffix)' (Amtsbote's temporary files)"
        }
        var rest = Substring(pattern)
        var sawID = false
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return "has a '{' without '}'" }
            let name = String(rest[rest.index(after: open)..<close])
            guard placeholders.contains(name) else {
                return "unknown placeholder {\(name)}; known: \(placeholders.sorted().map { "{\($0)}" }.joined(separator: ", "))"
            }
            if name == "id" { sawID = true }
            rest = rest[rest.index(after: close)...]
        }
        if rest.contains("}") { return "has a '}' without '{'" }
        if !sawID { return "must contain {id}, so every message gets its own file" }
        return nil
    }

    /// Suffix of temporary files; importers must ignore names starting with '.' or ending in this.
    package static let temporarySuffix = ".tmp"
}
