import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `XMLParserDelegate` that builds the neutral tree and enforces the limits.
///
/// Runs with `XMLParser.shouldProcessNamespaces` off: element and attribute names arrive as written
/// (`prefix:local`) with the `xmlns` declarations among the attributes, and ``NamespaceScope``
/// resolves the prefixes to URIs.
final class XMLTreeDelegate: NSObject, XMLParserDelegate {
    private let limits: DocumentLimits
    var builder: DocumentTreeBuilder
    /// Set on the first error; the parse is aborted and this is what the caller sees.
    private(set) var failure: DocumentError?
    private(set) var finished = false
    private var open: [Int32] = [0]
    /// Character data of each open element, one reusable buffer per depth.
    private var text: [[UInt8]] = [[]]
    private var scope = NamespaceScope()

    init(limits: DocumentLimits, byteCount: Int) {
        self.limits = limits
        self.builder = DocumentTreeBuilder(maxNodes: limits.maxNodes, capacity: max(16, byteCount / 48))
        builder.bytes.reserveCapacity(byteCount)
        _ = builder.append(.document, name: .empty, parent: -1)
    }

    private func fail(_ parser: XMLParser, _ code: DocumentError.Code, _ reason: String) {
        guard failure == nil else { return }
        failure = DocumentError(code, line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1), reason: reason)
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser,
        didStartElement elementName: String,
        namespaceURI: String?,
        qualifiedName qName: String?,
        attributes attributeDict: [String: String]
    ) {
        guard failure == nil else { return }
        guard open.count <= limits.maxDepth else {
            return fail(parser, .tooDeep, "elements nested deeper than \(limits.maxDepth)")
        }
        guard attributeDict.count <= limits.maxAttributesPerElement else {
            return fail(parser, .tooManyAttributes, "more than \(limits.maxAttributesPerElement) attributes on one element")
        }
        // Namespace declarations first: they apply to the element's own name and attributes.
        var declarations: [(prefix: String, uri: String)] = []
        var attributeCount = 0
        for (qualified, value) in attributeDict {
            if qualified == "xmlns" {
                declarations.append(("", value))
            } else if qualified.utf8.starts(with: "xmlns:".utf8) {
                declarations.append((String(qualified.utf8.dropFirst(6))!, value))
            } else {
                attributeCount += 1
            }
        }
        scope.open(declarations, builder: &builder)
        guard let (namespace, name) = resolve(elementName) else {
            return fail(parser, .syntax, "XML namespace prefix is not declared")
        }
        guard let index = builder.append(.element, name: name, namespace: namespace, parent: open[open.count - 1]) else {
            return fail(parser, .tooManyNodes, "more than \(limits.maxNodes) nodes")
        }
        if attributeCount > 0 {
            builder.nodes[Int(index)].attributeStart = Int32(builder.attributes.count)
            builder.nodes[Int(index)].attributeCount = Int32(attributeCount)
            // Dictionary order is random; sort so the tree (and anything copied from it) is deterministic.
            let ordered = attributeDict.count == 1 ? Array(attributeDict) : attributeDict.sorted { $0.key < $1.key }
            for (qualified, value) in ordered where qualified != "xmlns" && !qualified.utf8.starts(with: "xmlns:".utf8) {
                // Unprefixed attributes are in no namespace, whatever the default namespace is.
                guard qualified.utf8.contains(UInt8(ascii: ":")) else {
                    builder.attributes.append(DocumentAttribute(name: builder.store(qualified), namespace: 0, value: builder.store(value)))
                    continue
                }
                guard let (namespace, local) = resolve(qualified) else {
                    return fail(parser, .syntax, "attribute prefix is not declared")
                }
                builder.attributes.append(DocumentAttribute(name: local, namespace: namespace, value: builder.store(value)))
            }
        }
        open.append(index)
        if text.count < open.count {
            text.append([])
        } else {
            text[open.count - 1].removeAll(keepingCapacity: true)
        }
    }

    /// Splits `prefix:local`, resolves the prefix (none = the default namespace in scope) and stores
    /// the local name; nil for an undeclared prefix.
    private func resolve(_ qualified: String) -> (Int32, TextRange)? {
        var qualified = qualified
        return qualified.withUTF8 { bytes -> (Int32, TextRange)? in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
                guard let namespace = scope.resolve(UnsafeBufferPointer(start: bytes.baseAddress, count: 0), builder: &builder) else { return nil }
                return (namespace, builder.store(bytes: bytes))
            }
            guard let namespace = scope.resolve(UnsafeBufferPointer(rebasing: bytes[..<colon]), builder: &builder) else { return nil }
            return (namespace, builder.store(bytes: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])))
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil, open.count > 1 else { return }
        scope.close()
        let depth = open.count - 1
        let index = open.removeLast()
        let content = text[depth]
        if content.isEmpty { return }
        // Whitespace between child elements is layout, not data; a leaf keeps its text exactly.
        if builder.hasChildren(index), content.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return
        }
        builder.nodes[Int(index)].text = builder.store(bytes: content)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil else { return }
        text[open.count - 1].append(contentsOf: string.utf8)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard failure == nil else { return }
        // The whole document was checked to be valid UTF-8 before parsing, so CDATA is too.
        text[open.count - 1].append(contentsOf: CDATABlock)
    }

    func parserDidEndDocument(_ parser: XMLParser) {
        finished = failure == nil
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        let code = (parseError as NSError).code
        fail(parser, .syntax, Self.describe(libxmlCode: code))
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        fail(parser, .syntax, "XML is not valid")
    }

    // Second line of defence: none of these can happen once the DOCTYPE check passed.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(parser, .doctypeRefused, "entity declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, .doctypeRefused, "entity declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?, systemID: String?, notationName: String?) {
        fail(parser, .doctypeRefused, "entity declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
        fail(parser, .doctypeRefused, "DTD declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundAttributeDeclarationWithName attributeName: String, forElement elementName: String, type: String?, defaultValue: String?) {
        fail(parser, .doctypeRefused, "DTD declarations are not accepted")
    }

    func parser(_ parser: XMLParser, foundNotationDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, .doctypeRefused, "DTD declarations are not accepted")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(parser, .doctypeRefused, "entity references other than the predefined ones are not accepted")
        return nil
    }

    /// A short reason for the libxml2 error codes seen in practice; never quotes document content.
    private static func describe(libxmlCode code: Int) -> String {
        switch code {
        case 4: return "XML is not well-formed (document is empty or has no root element)"
        case 5: return "XML is not well-formed (extra content at the end of the document)"
        case 9: return "XML is not well-formed (invalid character)"
        case 26: return "undefined entity reference"
        case 27: return "undeclared entity reference"
        case 38, 39, 40, 41: return "XML is not well-formed (bad attribute)"
        case 42: return "XML is not well-formed (attribute given twice)"
        case 43, 44: return "XML is not well-formed (bad attribute value)"
        case 64, 65, 66, 67: return "XML is not well-formed (bad XML declaration)"
        case 68: return "XML is not well-formed (bad name)"
        case 73: return "XML is not well-formed (expected '>')"
        case 76: return "XML is not well-formed (mismatched end tag)"
        case 77: return "XML is not well-formed (truncated end tag)"
        case 80: return "XML is not well-formed (bad comment: '--' inside or not closed)"
        case 85, 86: return "XML is not well-formed (extra content at the end of the document)"
        case 97: return "unsupported XML version (only XML 1.0 is accepted)"
        case 99, 100: return "XML namespace URI is not an absolute URI"
        case 200: return "XML namespace declaration is not allowed (empty prefix binding or reserved prefix)"
        case 201: return "XML namespace prefix is not declared"
        case 202: return "XML namespace error"
        default: return "XML is not well-formed (libxml2 error \(code))"
        }
    }
}
