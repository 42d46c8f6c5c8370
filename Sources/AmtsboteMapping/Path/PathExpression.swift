/// A compiled path: parsed once when a mapping is loaded, evaluated per document.
///
/// The language is a small XPath subset that works on the neutral tree of XML and JSON alike; see
/// `docs/mapping.md`. Prefixes are resolved to namespace URIs at compile time, so a path matches by
/// URI and never depends on the prefixes a sender happened to use.
package struct PathExpression: Sendable, CustomStringConvertible {
    /// Whether the path starts at the document (`/…`) instead of the current node.
    package var isAbsolute: Bool
    /// The steps in order.
    package var steps: [PathStep]
    /// The path as written in the mapping, for error messages.
    package var source: String

    package var description: String { source }

    /// Whether the last step selects attributes.
    package var selectsAttribute: Bool {
        if case .attribute = steps.last { return true }
        return false
    }
}
