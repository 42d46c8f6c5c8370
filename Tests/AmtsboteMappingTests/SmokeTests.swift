import Foundation
import Testing
@testable import AmtsboteMapping

@Suite struct SmokeTests {
    @Test func gewerbeamtRoutesAndMaps() throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let doc = try TestSupport.document("gewerbeanmeldung.json")
        #expect(set.route(doc, formID: nil) == ["gewerbeamt"])
        let out = try set.map(target: "gewerbeamt", document: doc, formID: nil, attachments: [])
        let text = String(decoding: out.body, as: UTF8.self)
        #expect(text.contains("\"jahresumsatz\": 85000.50"))
        #expect(out.contentType == "application/json")
    }
}
