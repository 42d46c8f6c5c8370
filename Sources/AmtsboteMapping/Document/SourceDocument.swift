import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
    /// The bytes that names and texts are ranges of (UTF-8).
    package let bytes: [UInt8]
    /// Namespace URIs by index; index 0 is "" (no namespace).
    package let namespaces: [String]

    init(format: Format, nodes: [DocumentNode], attributes: [DocumentAttribute], bytes: [UInt8], namespaces: [String]) {
        self.format = format
        self.nodes = nodes
        self.attributes = attributes
        self.bytes = bytes
        self.namespaces = namespaces
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

    /// The text stored at `range`.
    package func string(_ range: TextRange) -> String {
        guard range.count > 0 else { return "" }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(range.start) ..< Int(range.start + range.count)]), as: UTF8.self)
        }
    }

    /// Whether the bytes at `range` equal `other` exactly (no Unicode normalisation).
    @inline(__always)
    package func bytes(_ range: TextRange, equal other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(range.count) == other.count else { return false }
        guard range.count > 0 else { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            memcmp(buffer.baseAddress! + Int(range.start), other.baseAddress!, other.count) == 0
        }
    }

    /// Whether the bytes at `range` equal the UTF-8 of `text`.
    package func bytes(_ range: TextRange, equal text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes(range, equal: $0) }
    }

    /// Local name (or JSON key) of a node.
    package func name(of node: Int32) -> String { string(nodes[Int(node)].name) }

    /// Namespace URI of a node ("" for none).
    package func namespace(of node: Int32) -> String { namespaces[Int(nodes[Int(node)].namespace)] }

    /// Character data / scalar text of a node, whatever its kind.
    package func nodeText(_ node: Int32) -> String { string(nodes[Int(node)].text) }

    /// The value of the unprefixed attribute `name` of `node`, if present.
    package func attribute(_ name: String, of node: Int32) -> String? {
        for attribute in attributes(of: node) where attribute.namespace == 0 && bytes(attribute.name, equal: name) {
            return string(attribute.value)
        }
        return nil
    }

    /// The attributes of `index` (empty for non-elements).
    package func attributes(of index: Int32) -> ArraySlice<DocumentAttribute> {
        let node = nodes[Int(index)]
        let start = Int(node.attributeStart)
        return attributes[start ..< start + Int(node.attributeCount)]
    }
}
