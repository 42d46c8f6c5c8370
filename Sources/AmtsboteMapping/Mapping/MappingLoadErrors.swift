/// Every problem found while loading a mapping directory; thrown by ``MappingSet/load(directory:)``.
///
/// All files are compiled even after the first error, so an admin sees every typo at once.
package struct MappingLoadErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, ordered by file, line and column.
    package var errors: [MappingLoadError]

    package init(_ errors: [MappingLoadError]) {
        self.errors = errors.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
    }

    /// One `file:line:column: message` per line.
    package var description: String { errors.map(\.description).joined(separator: "\n") }
}
