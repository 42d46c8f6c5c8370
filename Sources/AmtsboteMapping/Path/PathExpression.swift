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

/// One step of a ``PathExpression``.
package enum PathStep: Sendable {
    /// Child elements / members (JSON arrays are looked through: `a` selects each item of array `a`).
    case child(PathNameTest, [PathPredicate])
    /// An attribute of the current element; only as the last step.
    case attribute(PathNameTest)
    /// `text()`: the node's character data; only as the last step.
    case text
    /// `..`: the parent (for JSON array items, the member that holds the array).
    case parent
    /// `.`: the current node.
    case current
}

/// Which names a step matches.
package struct PathNameTest: Sendable {
    /// Local name / key to match, nil for `*`.
    package var name: String?
    /// Namespace URI to match ("" = no namespace), nil for `*` (any namespace).
    package var namespace: String?
}

/// A filter in `[…]`.
package enum PathPredicate: Sendable {
    /// `[n]`: the n-th (1-based) node selected by the step for one context node.
    case index(Int)
    /// `[path]`: keeps nodes for which `path` selects something with a non-empty value.
    case exists(PathExpression)
    /// `[path = value]` / `[path != value]`.
    case compare(PathExpression, equal: Bool, PathOperand)
}

/// Right-hand side of a comparison predicate.
package enum PathOperand: Sendable {
    /// A literal text (quoted string, number, `true` or `false`), compared byte for byte.
    case literal(String)
    /// `current()`: the value of the node the enclosing field is evaluated for (as in XSLT); this is
    /// how one part of a document refers to another (`arzt[@id = current()]`).
    case current
}
