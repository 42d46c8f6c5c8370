import Foundation

/// An error in the operator's configuration file, pointing at the exact place to fix.
///
/// Operators edit `config/amtsbote.yaml` by hand, so every error names the file, the line and
/// column (1-based, as editors count), and the dotted key path, e.g.
/// `config/amtsbote.yaml:12:9: limits.maxBodyBytes: expected a positive integer`.
package struct ConfigFileError: Error, Sendable, CustomStringConvertible {
    /// What kind of mistake; compare on this, not on the message.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { self.name }

        /// The file could not be read (missing, permissions).
        package static let unreadable = Code("unreadable")
        /// The file is not valid YAML.
        package static let syntax = Code("syntax")
        /// A key that this version of Amtsbote does not know (usually a typo).
        package static let unknownKey = Code("unknownKey")
        /// A required key is missing.
        package static let missingKey = Code("missingKey")
        /// A value has the wrong type or is out of range.
        package static let invalidValue = Code("invalidValue")
    }

    package let code: Code
    /// Path of the configuration file as given by the operator.
    package let file: String
    /// 1-based line, or nil when the error concerns the whole file.
    package let line: Int?
    /// 1-based column, or nil when the error concerns the whole file.
    package let column: Int?
    /// Dotted key path such as `portal.clients[0].tokenSHA256`; empty for the document itself.
    package let key: String
    package let message: String

    package init(code: Code, file: String, line: Int?, column: Int?, key: String, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// Wraps a message that already starts with `file:line:column: ` (as the delivery module's
    /// `targets:` decoder writes them), keeping the location machine-readable.
    package init(locatedMessage message: String, file: String) {
        var rest = Substring(message)
        if rest.hasPrefix(file + ":") { rest = rest.dropFirst(file.count + 1) }
        let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) {
            self.init(code: .invalidValue, file: file, line: line, column: column, key: "", message: parts[2].trimmingCharacters(in: .whitespaces))
        } else {
            self.init(code: .invalidValue, file: file, line: nil, column: nil, key: "", message: String(rest).trimmingCharacters(in: .whitespaces))
        }
    }

    package var description: String {
        var location = self.file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        let keyPart = self.key.isEmpty ? "" : "\(self.key): "
        return "\(location): \(keyPart)\(self.message)"
    }
}
