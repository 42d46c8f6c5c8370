/// One node of the neutral document tree that XML and JSON are both read into.
///
/// Nodes live in one contiguous array inside ``SourceDocument`` and point at each other by index;
/// names and texts are ranges into the document's one byte buffer. A node is therefore a plain value
/// with no references: a parsed document is a handful of allocations instead of several per node,
/// walking the tree never touches reference counts, and the whole thing is trivially `Sendable`.
package struct DocumentNode: Sendable {
    /// What the node was in the source document.
    package enum Kind: UInt8, Sendable {
        /// The virtual node above an XML root element (the XPath document node).
        case document
        /// An XML element.
        case element
        /// A JSON object.
        case object
        /// A JSON array; its items are children with an empty name.
        case array
        /// A JSON string.
        case string
        /// A JSON number; its text keeps the exact source text (`85000.50` stays `85000.50`).
        case number
        /// A JSON `true` or `false`; its text is `true` or `false`.
        case boolean
        /// A JSON `null`; its text is empty.
        case null
    }

    /// What the node was in the source document.
    package var kind: Kind
    /// Local name of an element, key of a JSON member; empty for array items and the document node.
    package var name: TextRange
    /// Index into ``SourceDocument/namespaces`` (0 = no namespace, always for JSON).
    package var namespace: Int32
    /// Character data of an element (direct text children, CDATA included), or a JSON scalar's text.
    package var text: TextRange
    /// Index of the parent node, -1 for the top node.
    package var parent: Int32
    /// Index of the first child, -1 if none.
    package var firstChild: Int32 = -1
    /// Index of the next sibling, -1 if none.
    package var nextSibling: Int32 = -1
    /// First index into ``SourceDocument/attributes``.
    package var attributeStart: Int32 = 0
    /// Number of attributes of an element (0 for JSON nodes).
    package var attributeCount: Int32 = 0
}
