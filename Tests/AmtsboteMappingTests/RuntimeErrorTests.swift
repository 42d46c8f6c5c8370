import Foundation
import Testing
@testable import AmtsboteMapping

/// A failing field names target, field and source path, and no partial document comes out.
@Suite struct RuntimeErrorTests {
    func mapShipped(_ target: String, _ fixture: String, edit: (String) -> String) throws -> MappingError {
        let text = edit(String(decoding: try TestSupport.fixtureData(fixture), as: UTF8.self))
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let type = fixture.hasSuffix(".json") ? "application/json" : "application/xml"
        let document = try SourceDocument.parse(Data(text.utf8), contentType: type)
        return try #require(throws: MappingError.self) {
            try set.map(target: target, document: document, formID: nil, attachments: [])
        }
    }

    @Test func requiredValueMissing() throws {
        let error = try mapShipped("gewerbeamt", "gewerbeanmeldung.json") {
            $0.replacingOccurrences(of: "\"familienname\": \"Mustermann\"", with: "\"familienname\": null")
        }
        #expect(error.code == .requiredValueMissing)
        #expect(error.description == "mapping for target 'gewerbeamt', field 'inhaber.name' (source betriebsinhaber/familienname): required value is missing or empty")
    }

    @Test func badDateNamesFieldAndPathButNotTheValue() throws {
        let error = try mapShipped("gewerbeamt", "gewerbeanmeldung.json") {
            $0.replacingOccurrences(of: "\"1964-08-12\"", with: "\"12.08.1964\"")
        }
        #expect(error.code == .badDate)
        #expect(error.field == "inhaber.geburtsdatum")
        #expect(error.sourcePath == "betriebsinhaber/geburtsdatum")
        #expect(!error.description.contains("12.08.1964"))
        #expect(error.reason.contains("yyyy-MM-dd"))
    }

    @Test func codeNotInList() throws {
        let error = try mapShipped("hundesteuer", "hundesteuer-anmeldung.xml") {
            $0.replacingOccurrences(of: "<code>122</code>", with: "<code>777</code>")
        }
        #expect(error.code == .codeNotInList)
        #expect(error.target == "hundesteuer")
        #expect(error.field == "st:hund.st:rasse")
        #expect(error.sourcePath == "/*/xhs:hund/xhs:rasse")
        #expect(error.reason == "code is not in code list urn:example:codeliste:hunderassen version 2024-07-01")
    }

    @Test func errorInsideRepeatingGroupNamesTheItem() throws {
        let error = try mapShipped("versorgungsamt", "schwerbehindertenantrag.xml") {
            $0.replacingOccurrences(of: "<sbh:seit>2016</sbh:seit>", with: "<sbh:seit>16</sbh:seit>")
        }
        #expect(error.code == .badDate)
        #expect(error.field == "gesundheitsstoerungen[2].seit")
        #expect(error.sourcePath == "/*/sbh:gesundheitsstoerungen/sbh:gesundheitsstoerung[2]/sbh:seit")
    }

    @Test func nestedJoinTargetsMustExist() throws {
        let error = try mapShipped("versorgungsamt", "schwerbehindertenantrag.xml") {
            $0.replacingOccurrences(of: "<sbh:arztRef>A2</sbh:arztRef>", with: "<sbh:arztRef>A9</sbh:arztRef>")
        }
        #expect(error.code == .requiredValueMissing)
        #expect(error.field == "gesundheitsstoerungen[1].aerzte[2].name")
        #expect(error.sourcePath == "/*/sbh:aerzte/sbh:arzt[@id = current()]/sbh:name")
    }

    @Test func brokenAttachmentIsAnError() throws {
        let error = try mapShipped("versorgungsamt", "schwerbehindertenantrag.xml") {
            $0.replacingOccurrences(of: "QmVmdW5kYmVyaWNodCAoQXVzenVnKQpQ", with: "Q!VmdW5kYmVyaWNodCAoQXVzenVnKQpQ")
        }
        #expect(error.code == .badAttachment)
        #expect(error.sourcePath == "/*/sbh:anlagen/anl:anlage[1]/anl:inhalt")
        let size = try mapShipped("versorgungsamt", "schwerbehindertenantrag.xml") {
            $0.replacingOccurrences(of: "groesse=\"162\"", with: "groesse=\"163\"")
        }
        #expect(size.code == .badAttachment)
        #expect(size.sourcePath.hasSuffix("@groesse"))
    }

    @Test func multipleValuesWithoutJoinAreAnError() throws {
        let xml = try mapShipped("hundesteuer", "hundesteuer-anmeldung.xml") {
            $0.replacingOccurrences(of: "<xhs:rufname>Luna</xhs:rufname>", with: "<xhs:rufname>Luna</xhs:rufname><xhs:rufname>Lu</xhs:rufname>")
        }
        #expect(xml.code == .multipleValues)
        #expect(xml.field == "st:hund.st:name")
    }

    @Test func structureWhereAValueIsExpected() throws {
        let error = try mapShipped("gewerbeamt", "gewerbeanmeldung.json") {
            $0.replacingOccurrences(of: "\"anrede\": \"Frau\"", with: "\"anrede\": {\"x\": 1}")
        }
        #expect(error.code == .notAValue)
        #expect(error.field == "inhaber.anrede")
    }

    @Test func unknownAndUnmatchedTargets() throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let document = try TestSupport.document("gewerbeanmeldung.json")
        #expect(throws: MappingError.self) { try set.map(target: "nope", document: document, formID: nil, attachments: []) }
        let error = try #require(throws: MappingError.self) {
            try set.map(target: "hundesteuer", document: document, formID: nil, attachments: [])
        }
        #expect(error.code == .noMatchingMapping)
    }

    @Test func attachmentsAsSeparatePartsOrDropped() throws {
        try TestSupport.withTemporaryDirectory { dir in
            let base = """
                namespaces: { anl: "http://www.xanlagen.example/anlage/1.1", sbh: "http://www.xschwerbehinderung.example/antrag/1.0" }
                match: { root: sbh:antrag.feststellungGdB.0200 }
                output: { format: json, pretty: false }
                fields:
                  - { name: id, path: /*/sbh:kopf/sbh:antragsID }

                """
            try TestSupport.write([
                "parts.yaml": base + "attachments: { mode: parts, field: anlagen, each: /*/sbh:anlagen/anl:anlage, name: '@dateiname', contentType: '@mimeType', content: anl:inhalt }\n",
                "dropped.yaml": base + "attachments: { mode: drop }\n",
            ], to: dir)
            let set = try MappingSet.load(directory: dir)
            let document = try TestSupport.document("schwerbehindertenantrag.xml")
            #expect(try set.route(document, formID: nil) == ["dropped", "parts"])
            let uploaded = MappingAttachment(name: "foto.jpg", contentType: "image/jpeg", data: Data([0xFF, 0xD8, 0xFF]))
            let parts = try set.map(target: "parts", document: document, formID: nil, attachments: [uploaded])
            #expect(parts.parts.map(\.name) == ["befundbericht-schäfer.txt", "Röntgenbefund Knie.pdf", "foto.jpg"])
            #expect(parts.parts[0].data.count == 162)
            #expect(parts.parts[1].data.prefix(5) == Data("%PDF-".utf8))
            #expect(String(decoding: parts.body, as: UTF8.self).contains(#"{"name":"foto.jpg","contentType":"image/jpeg","size":3,"part":3}"#))
            let dropped = try set.map(target: "dropped", document: document, formID: nil, attachments: [uploaded])
            #expect(dropped.parts.isEmpty)
            #expect(String(decoding: dropped.body, as: UTF8.self) == "{\"id\":\"SBH-2025-000815\"}\n")
        }
    }

    @Test func formIDMatching() throws {
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(["a.yaml": "match: { formId: [f1, f2] }\noutput: { format: csv }\nfields:\n  - { name: x, value: \"1\" }\n"], to: dir)
            let set = try MappingSet.load(directory: dir)
            let document = try TestSupport.document("gewerbeanmeldung.json")
            #expect(try set.route(document, formID: "f2") == ["a"])
            #expect(try set.route(document, formID: "f3") == [])
            #expect(try set.route(document, formID: nil) == [])
            #expect(try set.map(target: "a", document: document, formID: "f1", attachments: []).body == Data("x\r\n1\r\n".utf8))
        }
    }
}
