/// The children of one node, iterated through the sibling chain without allocating.
package struct DocumentChildren: Sequence, IteratorProtocol {
    let nodes: [DocumentNode]
    var upcoming: Int32

    init(nodes: [DocumentNode], first: Int32) {
        self.nodes = nodes
        self.upcoming = first
    }

    package mutating func next() -> Int32? {
        guard upcoming >= 0 else { return nil }
        let current = upcoming
        upcoming = nodes[Int(current)].nextSibling
        return current
    }
}
