/// One problem found while loading a mapping directory, with its position.
package struct MappingLoadError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Path of the file as given to the loader (relative to the working directory when possible).
    package var file: String
    /// 1-based line (0 when the problem concerns the whole file).
    package var line: Int
    /// 1-based column (0 when the problem concerns the whole file).
    package var column: Int
    /// What is wrong and what was expected.
    package var message: String

    package init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the shape editors and CI logs link to.
    package var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

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
