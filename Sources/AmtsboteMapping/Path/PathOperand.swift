/// Right-hand side of a comparison predicate.
package enum PathOperand: Sendable {
    /// A literal text (quoted string, number, `true` or `false`), compared byte for byte.
    case literal(String)
    /// `current()`: the value of the node the enclosing field is evaluated for (as in XSLT); this is
    /// how one part of a document refers to another (`arzt[@id = current()]`).
    case current
}
