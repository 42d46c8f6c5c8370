/// The namespace bindings in scope while an XML document is read: `xmlns` / `xmlns:p` declarations
/// of the open elements, innermost last.
///
/// The reader resolves prefixes itself (with `XMLParser.shouldProcessNamespaces` off) because
/// `XMLParser` discards attribute namespaces and, with namespace reporting on, creates several strings
/// and dictionaries per element. libxml2 still checks namespace well-formedness (undeclared prefixes).
struct NamespaceScope {
    private static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// Prefix ("" for the default namespace) and namespace index (0 = no namespace / undeclared default).
    private var bindings: [(prefix: String, namespace: Int32)] = []
    /// How many bindings each open element added.
    private var added: [Int] = []

    /// Declares the bindings of an element's `xmlns` attributes; call before resolving its names.
    mutating func open(_ declarations: [(prefix: String, uri: String)], builder: inout DocumentTreeBuilder) {
        for declaration in declarations {
            bindings.append((declaration.prefix, builder.namespaceIndex(declaration.uri)))
        }
        added.append(declarations.count)
    }

    /// Removes the bindings of the element being closed.
    mutating func close() {
        guard let count = added.popLast() else { return }
        bindings.removeLast(count)
    }

    /// The namespace of `prefix` ("" = default namespace, which is "no namespace" unless declared);
    /// nil for an undeclared prefix.
    func resolve<Prefix: Collection>(_ prefix: Prefix, builder: inout DocumentTreeBuilder) -> Int32? where Prefix.Element == UInt8 {
        for binding in bindings.reversed() where binding.prefix.utf8.elementsEqual(prefix) {
            return binding.namespace
        }
        if prefix.isEmpty { return 0 }
        if prefix.elementsEqual("xml".utf8) { return builder.namespaceIndex(Self.xmlNamespace) }
        return nil
    }
}
