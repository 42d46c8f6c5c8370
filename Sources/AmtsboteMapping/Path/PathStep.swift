/// One step of a ``PathExpression``.
package enum PathStep: Sendable {
    /// Child elements / members (JSON arrays are looked through: `a` selects each item of array `a`).
    case child(PathNameTest, [PathPredicate])
    /// `//name`: descendants at any depth, in document order; `[n]` counts among all of them.
    case descendant(PathNameTest, [PathPredicate])
    /// An attribute of the current element; only as the last step.
    case attribute(PathNameTest)
    /// `text()`: the node's character data; only as the last step.
    case text
    /// `..`: the parent (for JSON array items, the member that holds the array).
    case parent
    /// `.`: the current node.
    case current
}
