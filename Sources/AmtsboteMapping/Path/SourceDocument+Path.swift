extension SourceDocument {
    /// Evaluates `path`.
    /// - Parameters:
    ///   - path: the compiled path.
    ///   - context: the node relative paths start from.
    ///   - current: the node `current()` refers to in predicates (the field's context node).
    /// - Returns: the selected items in document order (per step).
    package func select(_ path: PathExpression, from context: Int32, current: Int32? = nil) -> [PathItem] {
        var set: [Int32] = [path.isAbsolute ? top : context]
        let currentNode = current ?? context
        for step in path.steps {
            switch step {
            case .current, .text:
                continue
            case .parent:
                set = set.compactMap(parentOf)
            case .attribute(let test):
                var items: [PathItem] = []
                for node in set {
                    let element = nodes[Int(node)]
                    guard element.attributeCount > 0 else { continue }
                    let start = Int(element.attributeStart)
                    for a in start ..< start + Int(element.attributeCount) where matches(test, attributes[a].name, attributes[a].namespace) {
                        items.append(.attribute(Int32(a)))
                    }
                }
                return items
            case .child(let test, let predicates):
                var next: [Int32] = []
                for node in set {
                    if predicates.isEmpty {
                        appendChildren(of: node, matching: test, to: &next)
                    } else {
                        var local: [Int32] = []
                        appendChildren(of: node, matching: test, to: &local)
                        for predicate in predicates {
                            local = filter(local, predicate, current: currentNode)
                        }
                        next.append(contentsOf: local)
                    }
                }
                set = next
            }
            if set.isEmpty { return [] }
        }
        return set.map { .node($0) }
    }

    /// The parent as the path language sees it: JSON array items belong to the member holding the array.
    private func parentOf(_ node: Int32) -> Int32? {
        let parent = nodes[Int(node)].parent
        guard parent >= 0 else { return nil }
        let p = nodes[Int(parent)]
        if p.kind == .array, p.parent >= 0, nodes[Int(p.parent)].kind != .array {
            return p.parent
        }
        return parent
    }

    @inline(__always)
    private func matches(_ test: PathNameTest, _ name: String, _ namespace: String) -> Bool {
        if let wanted = test.name, !ExactText.equal(wanted, name) { return false }
        if let uri = test.namespace, !ExactText.equal(uri, namespace) { return false }
        return true
    }

    private func appendChildren(of node: Int32, matching test: PathNameTest, to out: inout [Int32]) {
        let parent = nodes[Int(node)]
        var child = parent.firstChild
        if parent.kind == .array {
            // Items of a bare array (top-level or nested) are reached with `*`.
            if test.name == nil {
                while child >= 0 {
                    out.append(child)
                    child = nodes[Int(child)].nextSibling
                }
            }
            return
        }
        while child >= 0 {
            let c = nodes[Int(child)]
            if matches(test, c.name, c.namespace) {
                if c.kind == .array {
                    var item = c.firstChild
                    while item >= 0 {
                        out.append(item)
                        item = nodes[Int(item)].nextSibling
                    }
                } else {
                    out.append(child)
                }
            }
            child = c.nextSibling
        }
    }

    private func filter(_ candidates: [Int32], _ predicate: PathPredicate, current: Int32) -> [Int32] {
        switch predicate {
        case .index(let n):
            return n <= candidates.count ? [candidates[n - 1]] : []
        case .exists(let path):
            return candidates.filter { candidate in
                select(path, from: candidate, current: current).contains { text(of: $0).map { !$0.isEmpty } ?? false }
            }
        case .compare(let path, let equal, let operand):
            let wanted: String?
            switch operand {
            case .literal(let literal): wanted = literal
            case .current: wanted = text(of: .node(current))
            }
            guard let wanted else { return equal ? [] : candidates }
            return candidates.filter { candidate in
                let found = select(path, from: candidate, current: current).contains { item in
                    text(of: item).map { ExactText.equal($0, wanted) } ?? false
                }
                return found == equal
            }
        }
    }

    /// The text value of an item: an attribute's value, an element's character data, a JSON scalar's
    /// text; nil for JSON `null`, objects and arrays (which carry no single value).
    package func text(of item: PathItem) -> String? {
        switch item {
        case .attribute(let index):
            return attributes[Int(index)].value
        case .node(let index):
            let node = nodes[Int(index)]
            switch node.kind {
            case .null, .object, .array, .document: return nil
            default: return node.text
            }
        }
    }

    /// The node kind behind an item (attributes count as strings).
    package func kind(of item: PathItem) -> DocumentNode.Kind {
        switch item {
        case .attribute: return .string
        case .node(let index): return nodes[Int(index)].kind
        }
    }
}
