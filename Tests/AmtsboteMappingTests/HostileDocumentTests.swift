import Foundation
import Testing
@testable import AmtsboteMapping

/// Hostile XML and JSON are refused with a clear error (code, line, column), fast and without
/// resolving anything.
@Suite struct HostileDocumentTests {
    func xmlError(_ text: String, limits: DocumentLimits = .init()) throws -> DocumentError {
        try #require(throws: DocumentError.self) {
            try SourceDocument.parse(Data(text.utf8), contentType: "application/xml", limits: limits)
        }
    }

    func jsonError(_ bytes: [UInt8], limits: DocumentLimits = .init()) throws -> DocumentError {
        try #require(throws: DocumentError.self) {
            try SourceDocument.parse(Data(bytes), contentType: "application/json", limits: limits)
        }
    }

    @Test func doctypeIsRefused() throws {
        let error = try xmlError("<?xml version=\"1.0\"?>\n<!DOCTYPE a>\n<a/>")
        #expect(error.code == .doctypeRefused)
        #expect((error.line, error.column) == (2, 1))
    }

    @Test func billionLaughsIsRefusedBeforeExpansion() throws {
        var entities = "<!ENTITY lol \"lol\">"
        for level in 1 ... 9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\(entities)]>\n<lolz>&lol9;</lolz>"
        let clock = ContinuousClock()
        var error: DocumentError?
        let elapsed = try clock.measure { error = try xmlError(xml) }
        #expect(error?.code == .doctypeRefused)
        #expect(error.map { ($0.line, $0.column) } ?? (0, 0) == (2, 1))
        #expect(elapsed < .seconds(1))
    }

    @Test func externalEntityIsRefused() throws {
        let error = try xmlError("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>")
        #expect(error.code == .doctypeRefused)
        #expect((error.line, error.column) == (1, 22))
    }

    @Test func doctypeAfterCommentsAndProcessingInstructionsIsRefused() throws {
        let error = try xmlError("<!-- c --><?pi x?>\n  <!doctype a SYSTEM \"http://example.invalid/x.dtd\"><a/>")
        #expect(error.code == .doctypeRefused)
        #expect((error.line, error.column) == (2, 3))
    }

    @Test func undeclaredEntityIsRefused() throws {
        let error = try xmlError("<a>\n  &nbsp;</a>")
        #expect(error.code == .doctypeRefused || error.code == .syntax)
        #expect(error.line == 2)
    }

    @Test func deepXMLNestingIsRefused() throws {
        let depth = 10_000
        let xml = String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        let error = try xmlError(xml)
        #expect(error.code == .tooDeep || error.code == .syntax)
        #expect(error.line == 1)
        let limited = try xmlError(String(repeating: "<a>", count: 10) + String(repeating: "</a>", count: 10), limits: DocumentLimits(maxDepth: 5))
        #expect(limited.code == .tooDeep)
        #expect(limited.reason.contains("deeper than 5"))
    }

    @Test func tooManyAttributesAndNodesAndBytes() throws {
        let attributes = (0 ..< 100).map { "a\($0)=\"x\"" }.joined(separator: " ")
        #expect(try xmlError("<r \(attributes)/>").code == .tooManyAttributes)
        #expect(try xmlError("<r><a/><a/><a/></r>", limits: DocumentLimits(maxNodes: 3)).code == .tooManyNodes)
        let big = try xmlError("<r>" + String(repeating: "x", count: 2000) + "</r>", limits: DocumentLimits(maxBytes: 1000))
        #expect(big.code == .tooLarge)
        #expect(big.line == 0)
    }

    @Test func malformedXMLGivesLineAndColumn() throws {
        let error = try xmlError("<a>\n  <b>\n</a>")
        #expect(error.code == .syntax)
        #expect(error.line == 3)
        #expect(error.reason.contains("mismatched end tag"))
        #expect(try xmlError("").code == .empty)
        #expect(try xmlError("<a/><b/>").code == .syntax)
    }

    @Test func onlyUTF8XML() throws {
        #expect(try xmlError("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>").code == .syntax)
        let utf16 = try #require(throws: DocumentError.self) {
            try SourceDocument.parse(Data([0xFF, 0xFE, 0x3C, 0x00]), contentType: "application/xml")
        }
        #expect(utf16.reason.contains("UTF-8"))
        let invalid = try #require(throws: DocumentError.self) {
            try SourceDocument.parse(Data("<a>\n\u{00}".utf8.dropLast()) + Data([0xC3, 0x28]) + Data("</a>".utf8), contentType: "application/xml")
        }
        #expect(invalid.code == .invalidUTF8)
        #expect((invalid.line, invalid.column) == (2, 1))
    }

    @Test func deepJSONNestingIsRefused() throws {
        let bytes = Array(String(repeating: "[", count: 100_000).utf8)
        let error = try jsonError(bytes)
        #expect(error.code == .tooDeep)
        #expect((error.line, error.column) == (1, 65))
    }

    @Test func duplicateJSONKeysAreRefused() throws {
        let error = try jsonError(Array("{\n  \"a\": 1,\n  \"b\": {\"x\": 1},\n  \"a\": 2\n}".utf8))
        #expect(error.code == .duplicateKey)
        #expect((error.line, error.column) == (4, 3))
        #expect(error.reason == "duplicate key \"a\"")
        // Past 16 keys the check switches to a hash table; duplicates are still found.
        let many = (0 ..< 1000).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let late = try jsonError(Array("{\(many), \"k500\": 1}".utf8))
        #expect(late.code == .duplicateKey)
        #expect(late.reason == "duplicate key \"k500\"")
        #expect(try SourceDocument.parse(Data("{\(many)}".utf8), contentType: "application/json").nodes.count == 1001)
    }

    @Test func keysAreComparedByBytes() throws {
        // A composed "ä" and a decomposed "a + ◌̈" are two different keys, and a path names exactly one of them.
        let document = try SourceDocument.parse(Data("{\"\u{00E4}\": 1, \"a\u{0308}\": 2}".utf8), contentType: "application/json")
        let composed = try PathParser(namespaces: [:]).parse("\u{00E4}")
        let decomposed = try PathParser(namespaces: [:]).parse("a\u{0308}")
        #expect(document.select(composed, from: document.top).compactMap { document.text(of: $0) } == ["1"])
        #expect(document.select(decomposed, from: document.top).compactMap { document.text(of: $0) } == ["2"])
    }

    @Test func invalidUTF8JSONIsRefused() throws {
        for bad: [UInt8] in [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82]] {
            let error = try jsonError(Array("{\"a\":\n \"".utf8) + bad + Array("\"}".utf8))
            #expect(error.code == .invalidUTF8)
            #expect((error.line, error.column) == (2, 3))
        }
    }

    @Test func otherJSONSyntaxErrors() throws {
        let cases: [(String, Int, Int)] = [
            ("{\"a\": 01}", 1, 8),
            ("[1,]", 1, 4),
            ("{\"a\" 1}", 1, 6),
            ("\"\\ud800\"", 1, 2),
            ("\"a\u{01}\"", 1, 3),
            ("[1] [2]", 1, 5),
            ("tru", 1, 1),
            ("{\"a\": -}", 1, 8),
        ]
        for (text, line, column) in cases {
            let error = try jsonError(Array(text.utf8))
            #expect(error.code == .syntax, "\(text)")
            #expect((error.line, error.column) == (line, column), "\(text): \(error)")
        }
        #expect(try jsonError([]).code == .empty)
    }

    @Test func errorsDoNotQuoteDocumentContent() throws {
        let secret = "Geheimname-Mustermann-0123456789"
        let error = try jsonError(Array("{\"\(secret)\": 1, \"\(secret)\": 2}".utf8))
        #expect(!error.description.contains(secret))
    }

    @Test func unsupportedContentType() throws {
        let error = try #require(throws: DocumentError.self) {
            try SourceDocument.parse(Data("a".utf8), contentType: "text/plain")
        }
        #expect(error.code == .unsupportedContentType)
        #expect(SourceDocument.Format(contentType: "application/vnd.xoev+xml; charset=utf-8") == .xml)
        #expect(SourceDocument.Format(contentType: "Application/JSON") == .json)
        #expect(SourceDocument.Format(contentType: "application/problem+json") == .json)
    }
}
