import Foundation
import Testing
@testable import AmtsboteMapping

/// Real public XÖV messages (KoSIT's XGewerbeanzeige test suite). They are read from the shared
/// samples next to the repository and not copied into it (their licence is unspecified), so these
/// tests run where `../shared/samples/public/` exists, as on developer machines and CI.
@Suite struct PublicXOEVSampleTests {
    static let publicSamples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/samples/public")
    static let available = FileManager.default.fileExists(atPath: publicSamples.appendingPathComponent("xgwa2.2-valid.xml").path)

    func map(_ file: String, _ fields: String) throws -> String {
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(["xgwa.yaml": """
                namespaces: { xga: "http://www.xgewerbeanzeige.de/spezifikation/2.2" }
                match: { root: xga:abh.gewerbemeldung.0500 }
                output: { format: json, pretty: false }
                fields:

                """ + fields], to: dir)
            let set = try MappingSet.load(directory: dir)
            let data = try Data(contentsOf: Self.publicSamples.appendingPathComponent(file))
            let document = try SourceDocument.parse(data, contentType: "application/xml")
            #expect(try set.route(document, formID: nil) == ["xgwa"])
            return String(decoding: try set.map(target: "xgwa", document: document, formID: nil, attachments: []).body, as: UTF8.self)
        }
    }

    @Test(.enabled(if: available)) func realXGewerbeanzeigeMessage() throws {
        let out = try map("xgwa2.2-valid.xml", """
              - { name: uuid, path: /*/xga:nachrichtenkopf/xga:identifikation.nachricht/xga:nachrichtenUUID, required: true }
              - { name: autor, path: /*/xga:nachrichtenkopf/xga:autor/xga:behoerdenname }
              - { name: erstellt, path: /*/xga:nachrichtenkopf/xga:identifikation.nachricht/xga:erstellungszeitpunkt, date: { from: xs:dateTime, to: dd.MM.yyyy } }
            """)
        #expect(out == #"{"uuid":"00000000-0000-0000-0000-000000000001","autor":"Gewerbeamt Cottbus","erstellt":"24.10.2019"}"# + "\n")
    }

    @Test(.enabled(if: available)) func personsWithGermanDatesAndCodes() throws {
        let out = try map("xgwa2.2-valid.xml", """
              - name: personen
                each: "/*/xga:satz//xga:beteiligtePerson"
                fields:
                  - { name: name, path: xga:familienname, required: true }
                  - { name: geboren, path: xga:geburtsdatum, date: { from: ddMMyyyy, to: xs:date } }
                  - { name: staaten, path: xga:staatangehoerigkeiten/xga:staatsangehoerigkeitSchluessel/code, list: true }
              - name: taetigkeiten
                path: "/*/xga:satz//xga:taetigkeitenZusammengefasst"
                split: { separator: "|" }
                list: true
            """)
        #expect(out.contains(#"{"name":"Pick","geboren":"1965-10-12","staaten":["332"]}"#))
        #expect(out.contains(#""taetigkeiten":["Verkauf von Haarpflegeprodukten","Make-up-Beratung"]"#))
    }

    @Test(.enabled(if: available)) func missingRequiredFieldInTheInvalidMessage() throws {
        let fields = """
              - name: personen
                each: "/*/xga:satz//xga:beteiligtePerson"
                fields:
                  - { name: name, path: xga:familienname, required: true }
            """
        _ = try map("xgwa2.2-valid.xml", fields)
        let error = try #require(throws: MappingError.self) { try map("xgwa2.2-invalid.xml", fields) }
        #expect(error.code == .requiredValueMissing)
        #expect(error.field.hasPrefix("personen["))
        #expect(error.field.hasSuffix("].name"))
    }

    @Test(.enabled(if: available)) func olderVersionInDefaultNamespaceEnvelope() throws {
        let data = try Data(contentsOf: Self.publicSamples.appendingPathComponent("xgwa1.3-valid.xml"))
        let document = try SourceDocument.parse(data, contentType: "application/xml")
        // DatML-RAW puts everything in a default namespace: a mapping binds its own prefix to it.
        let parser = PathParser(namespaces: ["d": "http://www.destatis.de/schema/datml-raw/2.0/de"])
        let date = document.select(try parser.parse("/d:DatML-RAW-D/d:protokoll/d:dokumentinstanz/d:datum"), from: document.top)
        #expect(date.compactMap { document.text(of: $0) } == ["27.10.2017"])
        // Without the prefix the same steps find nothing: unprefixed means "no namespace".
        #expect(document.select(try parser.parse("/DatML-RAW-D/protokoll"), from: document.top).isEmpty)
        let birth = document.select(try parser.parse("//d:mm[@name = 'Geburtsdatum']/d:wert"), from: document.top)
        #expect(birth.compactMap { document.text(of: $0) } == ["12101965"])
    }
}
