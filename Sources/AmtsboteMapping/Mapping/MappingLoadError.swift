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
