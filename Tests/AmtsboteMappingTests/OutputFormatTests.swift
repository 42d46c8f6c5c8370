import Foundation
import Testing
@testable import AmtsboteMapping

/// Serialisation details of the three output formats.
@Suite struct OutputFormatTests {
    func map(_ json: String, mapping: String) throws -> String {
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(["t.yaml": mapping], to: dir)
            let set = try MappingSet.load(directory: dir)
            let document = try SourceDocument.parse(Data(json.utf8), contentType: "application/json")
            return String(decoding: try set.map(target: "t", document: document, formID: nil, attachments: []).body, as: UTF8.self)
        }
    }

    static let input = #"{"id": "A&B <1>", "q": "say \"hi\"", "n": 2, "items": [{"k": "x", "v": "1"}, {"k": "y", "v": "2"}], "ctl": "a\u0001b", "multi": "l1\nl2", "sep": "a;b"}"#

    @Test func xmlWithDefaultNamespaceAttributesTextAndEscaping() throws {
        let out = try map(Self.input, mapping: """
            match: { where: { path: id, exists: true } }
            output:
              format: xml
              root: fall
              defaultNamespace: "urn:ziel"
              namespaces: { z: "urn:zusatz" }
            fields:
              - { name: "@id", path: id }
              - { name: titel, path: q }
              - { name: "z:anzahl", path: n }
              - name: eintrag
                each: items
                fields:
                  - { name: "@schluessel", path: k }
                  - { name: "text()", path: v }
              - { name: leer, path: fehlt, default: null }
            """)
        #expect(out == """
            <?xml version="1.0" encoding="UTF-8"?>
            <fall xmlns="urn:ziel" xmlns:z="urn:zusatz" id="A&amp;B &lt;1&gt;">
              <titel>say "hi"</titel>
              <z:anzahl>2</z:anzahl>
              <eintrag schluessel="x">1</eintrag>
              <eintrag schluessel="y">2</eintrag>
              <leer/>
            </fall>

            """)
        // The output is namespace-well-formed XML that our own reader accepts.
        let reparsed = try SourceDocument.parse(Data(out.utf8), contentType: "application/xml")
        #expect(reparsed.namespace(of: reparsed.rootElement) == "urn:ziel")
    }

    @Test func xmlRefusesControlCharacters() throws {
        let error = try #require(throws: MappingError.self) {
            try map(Self.input, mapping: "match: { where: { path: id, exists: true } }\noutput: { format: xml, root: r }\nfields:\n  - { name: c, path: ctl }\n")
        }
        #expect(error.reason.contains("control character"))
        #expect(error.field == "c")
    }

    @Test func jsonEscapesOnlyWhatItMust() throws {
        let out = try map(Self.input, mapping: "match: { where: { path: id, exists: true } }\noutput: { format: json, pretty: false }\nfields:\n  - { name: c, path: ctl }\n  - { name: q, path: q }\n  - { name: m, path: multi }\n  - { name: i, path: id }\n")
        #expect(out == #"{"c":"a\u0001b","q":"say \"hi\"","m":"l1\nl2","i":"A&B <1>"}"# + "\n")
    }

    @Test func csvQuotesWhereNeeded() throws {
        let mapping = """
            match: { where: { path: id, exists: true } }
            output: { format: csv, separator: ";", lineEnding: lf }
            fields:
              - { name: sep, path: sep }
              - { name: q, path: q }
              - { name: m, path: multi }
              - { name: leer, path: fehlt }
              - { name: n, path: n }
            """
        #expect(try map(Self.input, mapping: mapping) == "sep;q;m;leer;n\n\"a;b\";\"say \"\"hi\"\"\";\"l1\nl2\";;2\n")
        let all = mapping.replacingOccurrences(of: "lineEnding: lf", with: "lineEnding: crlf, quote: all, header: false")
        #expect(try map(Self.input, mapping: all) == "\"a;b\";\"say \"\"hi\"\"\";\"l1\nl2\";\"\";\"2\"\r\n")
    }
}
