import Foundation
import Testing
@testable import AmtsboteMapping

/// XML paths match by namespace URI: the sender's prefixes and default-namespace habits do not matter,
/// and the same local names in another namespace do not match.
@Suite struct NamespaceTests {
    static let hundNS = "http://www.xhundesteuer.example/spezifikation/1.2"
    static let basisNS = "http://www.xbasisdaten.example/basis/2.0"

    func sample() throws -> String {
        String(decoding: try TestSupport.fixtureData("hundesteuer-anmeldung.xml"), as: UTF8.self)
    }

    func mapHundesteuer(_ xml: String) throws -> (targets: [String], body: Data?) {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let document = try SourceDocument.parse(Data(xml.utf8), contentType: "application/xml")
        let targets = try set.route(document, formID: nil)
        guard targets == ["hundesteuer"] else { return (targets, nil) }
        return (targets, try set.map(target: "hundesteuer", document: document, formID: nil, attachments: []).body)
    }

    /// Rewrites the sample with other prefixes: `xhs:` → `h:`, `xbd:` → `basis:`.
    func withOtherPrefixes() throws -> String {
        try sample()
            .replacingOccurrences(of: "xmlns:xhs=", with: "xmlns:h=")
            .replacingOccurrences(of: "xmlns:xbd=", with: "xmlns:basis=")
            .replacingOccurrences(of: "<xhs:", with: "<h:").replacingOccurrences(of: "</xhs:", with: "</h:")
            .replacingOccurrences(of: "<xbd:", with: "<basis:").replacingOccurrences(of: "</xbd:", with: "</basis:")
            .replacingOccurrences(of: "xbd:rolle=", with: "basis:rolle=")
    }

    /// Rewrites the sample so the message namespace is the default namespace (no prefix at all).
    /// The unqualified `<code>`/`<name>` children must then be put in no namespace with `xmlns=""`.
    func withDefaultNamespace() throws -> String {
        try sample()
            .replacingOccurrences(of: "xmlns:xhs=", with: "xmlns=")
            .replacingOccurrences(of: "<xhs:", with: "<").replacingOccurrences(of: "</xhs:", with: "</")
            .replacingOccurrences(of: "<code>", with: "<code xmlns=\"\">")
            .replacingOccurrences(of: "<name>", with: "<name xmlns=\"\">")
    }

    @Test func otherPrefixesMapIdentically() throws {
        let golden = try TestSupport.fixtureData("golden/hundesteuer.xml")
        let rewritten = try withOtherPrefixes()
        #expect(!rewritten.contains("xhs:"))
        let result = try mapHundesteuer(rewritten)
        #expect(result.targets == ["hundesteuer"])
        #expect(result.body == golden)
    }

    @Test func defaultNamespaceMapsIdentically() throws {
        let golden = try TestSupport.fixtureData("golden/hundesteuer.xml")
        let rewritten = try withDefaultNamespace()
        #expect(!rewritten.contains("<xhs:"))
        let result = try mapHundesteuer(rewritten)
        #expect(result.targets == ["hundesteuer"])
        #expect(result.body == golden)
    }

    @Test func sameLocalNamesInAnotherNamespaceDoNotMatch() throws {
        let other = try sample().replacingOccurrences(of: Self.hundNS, with: "http://www.xhundesteuer.example/spezifikation/9.9")
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let document = try SourceDocument.parse(Data(other.utf8), contentType: "application/xml")
        #expect(try set.route(document, formID: nil) == [])
        #expect(throws: MappingError.self) {
            try set.map(target: "hundesteuer", document: document, formID: nil, attachments: [])
        }
    }

    @Test func childInAnotherNamespaceIsNotFound() throws {
        // The root still matches, but the owner's data now sits in a foreign namespace: the required
        // name is missing, so the mapping fails instead of silently mapping something else.
        let other = try sample().replacingOccurrences(of: "xmlns:xbd=\"\(Self.basisNS)\"", with: "xmlns:xbd=\"urn:other\"")
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let document = try SourceDocument.parse(Data(other.utf8), contentType: "application/xml")
        #expect(try set.route(document, formID: nil) == ["hundesteuer"])
        let error = try #require(throws: MappingError.self) {
            try set.map(target: "hundesteuer", document: document, formID: nil, attachments: [])
        }
        #expect(error.code == .requiredValueMissing)
        #expect(error.field == "st:halter.st:name")
        #expect(error.target == "hundesteuer")
    }

    @Test func pathPrefixesComeFromTheMappingNotTheDocument() throws {
        let document = try SourceDocument.parse(Data(#"<a:r xmlns:a="urn:x" xmlns:b="urn:y"><b:v>1</b:v><a:v>2</a:v></a:r>"#.utf8), contentType: "application/xml")
        let parser = PathParser(namespaces: ["y": "urn:x", "x": "urn:y"])
        let values = { (path: String) in
            try document.select(parser.parse(path), from: document.top).compactMap { document.text(of: $0) }
        }
        #expect(try values("y:r/x:v") == ["1"])
        #expect(try values("y:r/y:v") == ["2"])
        #expect(try values("y:r/v") == [])
        #expect(try values("*/*") == ["1", "2"])
    }

    @Test func namespaceScopesFollowTheDocument() throws {
        // Default namespace, its undeclaration with xmlns="", and a prefix re-bound in a child.
        let xml = #"<a xmlns="urn:u" xmlns:p="urn:p"><b xmlns=""><c/></b><d/><p:e xmlns:p="urn:q"><p:f/></p:e><p:g/></a>"#
        let document = try SourceDocument.parse(Data(xml.utf8), contentType: "application/xml")
        let names = document.nodes.indices.dropFirst().map { "\(document.name(of: Int32($0))){\(document.namespace(of: Int32($0)))}" }
        #expect(names == ["a{urn:u}", "b{}", "c{}", "d{urn:u}", "e{urn:q}", "f{urn:q}", "g{urn:p}"])
        #expect(throws: DocumentError.self) {
            try SourceDocument.parse(Data(#"<a><p:b/></a>"#.utf8), contentType: "application/xml")
        }
    }

    @Test func namespacedAttributesResolveByURI() throws {
        let xml = #"<r xmlns:p="urn:a" xmlns:q="urn:b"><e p:id="1" q:id="2" id="3"/></r>"#
        let document = try SourceDocument.parse(Data(xml.utf8), contentType: "application/xml")
        let parser = PathParser(namespaces: ["a": "urn:a", "b": "urn:b"])
        func value(_ path: String) throws -> [String] {
            try document.select(parser.parse(path), from: document.top).compactMap { document.text(of: $0) }
        }
        #expect(try value("r/e/@a:id") == ["1"])
        #expect(try value("r/e/@b:id") == ["2"])
        #expect(try value("r/e/@id") == ["3"])
    }
}
