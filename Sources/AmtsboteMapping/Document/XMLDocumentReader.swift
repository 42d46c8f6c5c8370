import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads XML into the neutral tree with FoundationXML's `XMLParser` (libxml2's SAX interface).
///
/// Hardening, in this order: size limit (checked by the caller), UTF-8 only, DOCTYPE refused on the
/// raw bytes (``XMLPrologCheck``), external entities never resolved, and every DTD-related callback
/// aborts the parse as a second line of defence. `XMLParser` runs libxml2 in recover mode, so every
/// reported error is treated as fatal here instead of accepting a repaired document.
struct XMLDocumentReader {
    let limits: DocumentLimits

    func read(_ data: Data) throws -> SourceDocument {
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            try XMLPrologCheck.check(bytes)
            var onlyWhitespace = true
            for byte in bytes where !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D) {
                onlyWhitespace = false
                break
            }
            if onlyWhitespace {
                throw DocumentError(.empty, line: 0, column: 0, reason: "document is empty")
            }
        }
        let parser = XMLParser(data: data)
        // Prefixes are resolved by XMLTreeDelegate (see NamespaceScope); libxml2 still checks them.
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        let delegate = XMLTreeDelegate(limits: limits, byteCount: data.count)
        parser.delegate = delegate
        let succeeded = parser.parse()
        if let failure = delegate.failure {
            throw failure
        }
        guard succeeded, delegate.finished else {
            throw DocumentError(.syntax, line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1),
                                reason: "XML is not well-formed (unexpected end of document)")
        }
        guard delegate.builder.hasChildren(0) else {
            throw DocumentError(.syntax, line: 1, column: 1, reason: "no root element")
        }
        return delegate.builder.build(format: .xml)
    }
}
