/// Appends nodes to the arena of a ``SourceDocument`` while a reader walks the source, keeping the
/// sibling chains and enforcing the node limit.
struct DocumentTreeBuilder {
    var nodes: [DocumentNode] = []
    var attributes: [DocumentAttribute] = []
    private var lastChild: [Int32] = []
    let maxNodes: Int

    init(maxNodes: Int, capacity: Int) {
        self.maxNodes = maxNodes
        nodes.reserveCapacity(capacity)
        lastChild.reserveCapacity(capacity)
    }

    /// Appends a node as the last child of `parent` (or as the top node when `parent` is -1).
    /// - Returns: the new node's index, or nil when the node limit is reached.
    mutating func append(_ kind: DocumentNode.Kind, name: String, namespace: String = "", text: String = "", parent: Int32) -> Int32? {
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
}
