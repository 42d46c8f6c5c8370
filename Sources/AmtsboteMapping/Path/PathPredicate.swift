/// A filter in `[…]`.
package enum PathPredicate: Sendable {
    /// `[n]`: the n-th (1-based) node selected by the step for one context node.
    case index(Int)
    /// `[path]`: keeps nodes for which `path` selects something with a non-empty value.
    case exists(PathExpression)
    /// `[path = value]` / `[path != value]`.
    case compare(PathExpression, equal: Bool, PathOperand)
}
