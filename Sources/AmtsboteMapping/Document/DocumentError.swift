/// Why a submission could not be read as a document, and where.
///
/// `reason` never quotes more than a few characters of the document: submissions carry citizens'
/// personal data and this text ends up in HTTP problem documents and logs.
package struct DocumentError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Stable category of the failure, usable as a problem `type` suffix or metric label.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// The content type is neither XML nor JSON.
        package static let unsupportedContentType = Code("unsupported-content-type")
        /// The document is larger than ``DocumentLimits/maxBytes``.
        package static let tooLarge = Code("too-large")
        /// Nesting deeper than ``DocumentLimits/maxDepth``.
        package static let tooDeep = Code("too-deep")
        /// More attributes on one element than ``DocumentLimits/maxAttributesPerElement``.
        package static let tooManyAttributes = Code("too-many-attributes")
        /// More nodes than ``DocumentLimits/maxNodes``.
        package static let tooManyNodes = Code("too-many-nodes")
        /// The XML document has a DOCTYPE (DTDs and entity declarations are refused outright).
        package static let doctypeRefused = Code("doctype-refused")
        /// The bytes are not well-formed XML / valid JSON.
        package static let syntax = Code("syntax")
        /// The bytes are not valid UTF-8.
        package static let invalidUTF8 = Code("invalid-utf8")
        /// A JSON object has the same key twice.
        package static let duplicateKey = Code("duplicate-key")
        /// The document is empty.
        package static let empty = Code("empty")
    }

    /// Stable category.
    package var code: Code
    /// 1-based line of the problem (0 when it concerns the whole document, e.g. its size).
    package var line: Int
    /// 1-based column, counted in bytes (0 when it concerns the whole document).
    package var column: Int
    /// Short human-readable reason.
    package var reason: String

    /// Creates an error.
    package init(_ code: Code, line: Int, column: Int, reason: String) {
        self.code = code
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line:column: reason`, or just the reason when there is no position.
    package var description: String {
        line > 0 ? "\(line):\(column): \(reason)" : reason
    }
}
