/// One attribute of an XML element, with its namespace resolved to a URI.
package struct DocumentAttribute: Sendable {
    /// Local name, without prefix.
    package var name: TextRange
    /// Index into ``SourceDocument/namespaces``; 0 for unprefixed attributes (XML namespaces do not
    /// apply a default namespace to attributes).
    package var namespace: Int32
    /// The attribute value after XML normalisation.
    package var value: TextRange
}
