/// What a path selects: a node of the tree or one attribute.
package enum PathItem: Sendable, Equatable {
    /// Index into ``SourceDocument/nodes``.
    case node(Int32)
    /// Index into ``SourceDocument/attributes``.
    case attribute(Int32)
}
