import Foundation
import Testing
@testable import AmtsboteMapping

@Suite struct SmokeTests {
    @Test(arguments: ["schwerbehindertenantrag.xml", "sperrmuell-termin.json"])
    func shipped(_ name: String) throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let doc = try TestSupport.document(name)
        let targets = set.route(doc, formID: nil)
        print(targets)
        for t in targets {
            let out = try set.map(target: t, document: doc, formID: nil, attachments: [])
            print(String(decoding: out.body, as: UTF8.self))
        }
    }
}
