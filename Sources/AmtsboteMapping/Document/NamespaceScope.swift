/// The namespace bindings in scope while an XML document is read: `xmlns` / `xmlns:p` declarations
/// of the open elements, innermost last.
///
/// The reader resolves prefixes itself (with `XMLParser.shouldProcessNamespaces` off) because
/// `XMLParser` discards attribute namespaces and, with namespace reporting on, creates several strings
/// and dictionaries per element. libxml2 still checks namespace well-formedness (undeclared prefixes).
struct NamespaceScope {
    private static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Prefix bytes (empty for the default namespace) and namespace index (0 = no namespace / undeclared default).
    private var bindings: [(prefix: [UInt8], namespace: Int32)] = []
    /// How many bindings each open element added.
    private var added: [Int] = []

    /// Declares the bindings of an element's `xmlns` attributes; call before resolving its names.
    mutating func open(_ declarations: [(prefix: String, uri: String)], builder: inout DocumentTreeBuilder) {
        for declaration in declarations {
            bindings.append((Array(declaration.prefix.utf8), builder.namespaceIndex(declaration.uri)))
        }
        added.append(declarations.count)
    }

    /// Removes the bindings of the element being closed.
    mutating func close() {
        guard let count = added.popLast() else { return }
        bindings.removeLast(count)
    }

    /// The namespace of `prefix` (empty = default namespace, which is "no namespace" unless declared);
    /// nil for an undeclared prefix.
    func resolve(_ prefix: UnsafeBufferPointer<UInt8>, builder: inout DocumentTreeBuilder) -> Int32? {
        var index = bindings.count - 1
        while index >= 0 {
            let binding = bindings[index]
            if binding.prefix.count == prefix.count, binding.prefix.withUnsafeBufferPointer({ $0.elementsEqual(prefix) }) {
                return binding.namespace
            }
            index -= 1
        }
        if prefix.isEmpty { return 0 }
        if prefix.elementsEqual("xml".utf8) { return builder.namespaceIndex(Self.xmlNamespace) }
        return nil
    }
}
