/// Appends nodes to the arena of a ``SourceDocument`` while a reader walks the source, keeping the
/// sibling chains, the byte buffer and the namespace table, and enforcing the node limit.
struct DocumentTreeBuilder {
    var nodes: [DocumentNode] = []
    var attributes: [DocumentAttribute] = []
    /// Names and texts; JSON documents start with a copy of their input so most ranges point into it.
    var bytes: [UInt8]
    /// Namespace URIs; index 0 is "" (no namespace).
    var namespaces: [String] = [""]
    private var lastChild: [Int32] = []
    let maxNodes: Int

    init(maxNodes: Int, capacity: Int, bytes: [UInt8] = []) {
        self.maxNodes = maxNodes
        self.bytes = bytes
        nodes.reserveCapacity(capacity)
        lastChild.reserveCapacity(capacity)
    }

    /// Appends a node as the last child of `parent` (or as the top node when `parent` is -1).
    /// - Returns: the new node's index, or nil when the node limit is reached.
    mutating func append(_ kind: DocumentNode.Kind, name: TextRange, namespace: Int32 = 0, text: TextRange = .empty, parent: Int32) -> Int32? {
        guard nodes.count < maxNodes else { return nil }
        let index = Int32(nodes.count)
        nodes.append(DocumentNode(kind: kind, name: name, namespace: namespace, text: text, parent: parent))
        lastChild.append(-1)
        if parent >= 0 {
            let previous = lastChild[Int(parent)]
            if previous >= 0 {
                nodes[Int(previous)].nextSibling = index
            } else {
                nodes[Int(parent)].firstChild = index
            }
            lastChild[Int(parent)] = index
        }
        return index
    }

    /// Whether `index` has children.
    func hasChildren(_ index: Int32) -> Bool {
        nodes[Int(index)].firstChild >= 0
    }

    /// Stores text and returns its range.
    mutating func store(_ text: String) -> TextRange {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        return TextRange(start: Int32(start), count: Int32(bytes.count - start))
    }

    /// Stores bytes and returns their range.
    mutating func store<C: Collection>(bytes source: C) -> TextRange where C.Element == UInt8 {
        let start = bytes.count
        bytes.append(contentsOf: source)
        return TextRange(start: Int32(start), count: Int32(bytes.count - start))
    }

    /// The index of a namespace URI, adding it on first use (documents use a handful).
    mutating func namespaceIndex(_ uri: String) -> Int32 {
        if uri.isEmpty { return 0 }
        for (index, known) in namespaces.enumerated() where known == uri {
            return Int32(index)
        }
        namespaces.append(uri)
        return Int32(namespaces.count - 1)
    }

    func build(format: SourceDocument.Format) -> SourceDocument {
        SourceDocument(format: format, nodes: nodes, attributes: attributes, bytes: bytes, namespaces: namespaces)
    }
}
