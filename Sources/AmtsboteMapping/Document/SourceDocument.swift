import Foundation

/// A submission read into the neutral tree that one path language serves for XML and JSON.
///
/// Parse once with ``parse(_:contentType:limits:)``, then route and map it any number of times;
/// the value is immutable and `Sendable`.
package struct SourceDocument: Sendable {
    /// Which syntax the document was read from.
    package enum Format: String, Sendable {
        case xml
        case json
    }

    /// Which syntax the document was read from.
    package let format: Format
    /// All nodes; index 0 is the top node (the XML document node or the JSON top-level value).
    package let nodes: [DocumentNode]
    /// All attributes of all elements; each element points at its slice.
    package let attributes: [DocumentAttribute]

    init(format: Format, nodes: [DocumentNode], attributes: [DocumentAttribute]) {
        self.format = format
        self.nodes = nodes
        self.attributes = attributes
    }

    /// Reads a submission.
    /// - Parameters:
    ///   - bytes: the body exactly as received.
    ///   - contentType: the media type (`application/xml`, `text/xml`, `application/*+xml`,
    ///     `application/json`, `*+json`); parameters such as `charset` are ignored.
    ///   - limits: size, depth, attribute and node bounds.
    /// - Throws: ``DocumentError`` with line and column.
    package static func parse(_ bytes: Data, contentType: String, limits: DocumentLimits = .init()) throws -> SourceDocument {
        guard let format = Format(contentType: contentType) else {
            throw DocumentError(.unsupportedContentType, line: 0, column: 0,
                                reason: "unsupported content type; expected XML or JSON")
        }
        guard bytes.count <= limits.maxBytes else {
            throw DocumentError(.tooLarge, line: 0, column: 0,
                                reason: "document is \(bytes.count) bytes, limit is \(limits.maxBytes)")
        }
        switch format {
        case .xml: return try XMLDocumentReader(limits: limits).read(bytes)
        case .json: return try JSONDocumentReader.read(bytes, limits: limits)
        }
    }

    /// The top node: the XML document node (whose one child is the root element) or the JSON value.
    package var top: Int32 { 0 }

    /// The root element of an XML document, or the top JSON value.
    package var rootElement: Int32 {
        format == .xml ? nodes[0].firstChild : 0
    }

    /// The children of `index`, in document order.
    package func children(of index: Int32) -> DocumentChildren {
        DocumentChildren(nodes: nodes, first: nodes[Int(index)].firstChild)
    }

    /// The attributes of `index` (empty for non-elements).
    package func attributes(of index: Int32) -> ArraySlice<DocumentAttribute> {
        let node = nodes[Int(index)]
        let start = Int(node.attributeStart)
        return attributes[start ..< start + Int(node.attributeCount)]
    }
}

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

extension SourceDocument.Format {
    /// Recognises XML and JSON media types, ignoring parameters and case.
    init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        if mediaType == "application/xml" || mediaType == "text/xml" || mediaType.hasSuffix("+xml") {
            self = .xml
        } else if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            self = .json
        } else {
            return nil
        }
    }
}
