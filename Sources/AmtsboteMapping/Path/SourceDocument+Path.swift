extension SourceDocument {
    /// Evaluates `path`.
    /// - Parameters:
    ///   - path: the compiled path.
    ///   - context: the node relative paths start from.
    ///   - current: the node `current()` refers to in predicates (the field's context node).
    /// - Returns: the selected items in document order (per step).
    package func select(_ path: PathExpression, from context: Int32, current: Int32? = nil) -> [PathItem] {
        var out: [PathItem] = []
        _ = walk(path.steps, 0, path.isAbsolute ? top : context, current ?? context) { item in
            out.append(item)
            return true
        }
        return out
    }

    /// The first item `path` selects and whether it selects more than one, without collecting them all.
    package func selectFirst(_ path: PathExpression, from context: Int32) -> (first: PathItem?, more: Bool) {
        var first: PathItem?
        var more = false
        _ = walk(path.steps, 0, path.isAbsolute ? top : context, context) { item in
            if first == nil {
                first = item
                return true
            }
            more = true
            return false
        }
        return (first, more)
    }

    /// Depth-first evaluation: step `index` applied to `node`, each result passed to `visit` (which
    /// returns false to stop). For child and attribute steps this yields the same order as XPath's
    /// step-by-step node sets, without building an intermediate array per step.
    /// - Returns: false if `visit` asked to stop.
    private func walk(_ steps: [PathStep], _ index: Int, _ node: Int32, _ current: Int32, _ visit: (PathItem) -> Bool) -> Bool {
        guard index < steps.count else { return visit(.node(node)) }
        switch steps[index] {
        case .current, .text:
            return walk(steps, index + 1, node, current, visit)
        case .parent:
            guard let parent = parentOf(node) else { return true }
            return walk(steps, index + 1, parent, current, visit)
        case .attribute(let test):
            guard let resolved = resolve(test) else { return true }
            let element = nodes[Int(node)]
            let start = Int(element.attributeStart)
            for a in start ..< start + Int(element.attributeCount) where matches(resolved, attributes[a].name, attributes[a].namespace) {
                if !visit(.attribute(Int32(a))) { return false }
            }
            return true
        case .child(let test, let predicates):
            guard let resolved = resolve(test) else { return true }
            if predicates.isEmpty {
                return forEachChild(of: node, matching: resolved) { walk(steps, index + 1, $0, current, visit) }
            }
            var local: [Int32] = []
            _ = forEachChild(of: node, matching: resolved) {
                local.append($0)
                return true
            }
            return continueWalk(steps, index, filtered(local, predicates, current: current), current, visit)
        case .descendant(let test, let predicates):
            guard let resolved = resolve(test) else { return true }
            return continueWalk(steps, index, filtered(descendants(of: node, matching: resolved), predicates, current: current), current, visit)
        }
    }

    /// Applies predicates in order to the nodes one step selected.
    private func filtered(_ nodes: [Int32], _ predicates: [PathPredicate], current: Int32) -> [Int32] {
        var local = nodes
        for predicate in predicates {
            local = filter(local, predicate, current: current)
        }
        return local
    }

    /// Walks the remaining steps from each of `nodes`.
    private func continueWalk(_ steps: [PathStep], _ index: Int, _ nodes: [Int32], _ current: Int32, _ visit: (PathItem) -> Bool) -> Bool {
        for child in nodes where !walk(steps, index + 1, child, current, visit) {
            return false
        }
        return true
    }

    /// A name test with its namespace turned into this document's namespace index.
    private struct ResolvedTest {
        var name: [UInt8]?
        /// nil = any namespace.
        var namespace: Int32?
    }

    /// nil when the test names a namespace the document does not use (nothing can match).
    private func resolve(_ test: PathNameTest) -> ResolvedTest? {
        guard let uri = test.namespace else { return ResolvedTest(name: test.nameBytes, namespace: nil) }
        if uri.isEmpty { return ResolvedTest(name: test.nameBytes, namespace: 0) }
        for (index, known) in namespaces.enumerated() where ExactText.equal(known, uri) {
            return ResolvedTest(name: test.nameBytes, namespace: Int32(index))
        }
        return nil
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
    private func matches(_ test: ResolvedTest, _ name: TextRange, _ namespace: Int32) -> Bool {
        if let ns = test.namespace, ns != namespace { return false }
        guard let wanted = test.name else { return true }
        return wanted.withUnsafeBufferPointer { bytes(name, equal: $0) }
    }

    /// All descendants of `node` matching `test`, in document order (pre-order), looking through
    /// JSON arrays as child steps do. Iterative, so document depth never deepens the call stack.
    private func descendants(of node: Int32, matching test: ResolvedTest) -> [Int32] {
        var found: [Int32] = []
        // Each stack entry is the next sibling to visit at one level; `inheritedMatch` marks the items
        // of a JSON array whose member name matched the test.
        var stack: [(next: Int32, inheritedMatch: Bool)] = [(nodes[Int(node)].firstChild, false)]
        while let top = stack.last {
            guard top.next >= 0 else {
                stack.removeLast()
                continue
            }
            let child = top.next
            let c = nodes[Int(child)]
            stack[stack.count - 1].next = c.nextSibling
            if c.kind == .array {
                stack.append((c.firstChild, matches(test, c.name, c.namespace)))
                continue
            }
            if top.inheritedMatch || (c.name.count > 0 || test.name == nil) && matches(test, c.name, c.namespace) {
                found.append(child)
            }
            stack.append((c.firstChild, false))
        }
        return found
    }

    /// Calls `body` for each child of `node` matching `test`, looking through JSON arrays; stops
    /// (and returns false) when `body` returns false.
    private func forEachChild(of node: Int32, matching test: ResolvedTest, _ body: (Int32) -> Bool) -> Bool {
        let parent = nodes[Int(node)]
        var child = parent.firstChild
        if parent.kind == .array {
            // Items of a bare array (top-level or nested) are reached with `*`.
            guard test.name == nil else { return true }
            while child >= 0 {
                if !body(child) { return false }
                child = nodes[Int(child)].nextSibling
            }
            return true
        }
        while child >= 0 {
            let c = nodes[Int(child)]
            if matches(test, c.name, c.namespace) {
                if c.kind == .array {
                    var item = c.firstChild
                    while item >= 0 {
                        if !body(item) { return false }
                        item = nodes[Int(item)].nextSibling
                    }
                } else if !body(child) {
                    return false
                }
            }
            child = c.nextSibling
        }
        return true
    }

    private func filter(_ candidates: [Int32], _ predicate: PathPredicate, current: Int32) -> [Int32] {
        switch predicate {
        case .index(let n):
            return n <= candidates.count ? [candidates[n - 1]] : []
        case .exists(let path):
            return candidates.filter { candidate in
                select(path, from: candidate, current: current).contains { textRange(of: $0).map { $0.count > 0 } ?? false }
            }
        case .compare(let path, let equal, let operand):
            let wanted: [UInt8]
            switch operand {
            case .literal(let literal): wanted = Array(literal.utf8)
            case .current:
                guard let range = textRange(of: .node(current)) else { return equal ? [] : candidates }
                wanted = Array(bytes[Int(range.start) ..< Int(range.start + range.count)])
            }
            return wanted.withUnsafeBufferPointer { wantedBytes in
                candidates.filter { candidate in
                    let found = select(path, from: candidate, current: current).contains { item in
                        textRange(of: item).map { bytes($0, equal: wantedBytes) } ?? false
                    }
                    return found == equal
                }
            }
        }
    }

    /// Where the value of an item is stored; nil for JSON `null`, objects and arrays.
    package func textRange(of item: PathItem) -> TextRange? {
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

    /// The text value of an item: an attribute's value, an element's character data, a JSON scalar's
    /// text; nil for JSON `null`, objects and arrays (which carry no single value).
    package func text(of item: PathItem) -> String? {
        textRange(of: item).map(string)
    }

    /// The node kind behind an item (attributes count as strings).
    package func kind(of item: PathItem) -> DocumentNode.Kind {
        switch item {
        case .attribute: return .string
        case .node(let index): return nodes[Int(index)].kind
        }
    }
}
