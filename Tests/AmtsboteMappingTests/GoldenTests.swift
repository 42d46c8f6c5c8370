import Foundation
import Testing
@testable import AmtsboteMapping

/// The four shipped mappings on the sample submissions produce exactly the golden files.
@Suite struct GoldenTests {
    static let cases: [(target: String, submission: String, golden: String)] = [
        ("gewerbeamt", "gewerbeanmeldung.json", "golden/gewerbeamt.json"),
        ("hundesteuer", "hundesteuer-anmeldung.xml", "golden/hundesteuer.xml"),
        ("versorgungsamt", "schwerbehindertenantrag.xml", "golden/versorgungsamt.json"),
        ("abfallwirtschaft", "sperrmuell-termin.json", "golden/abfallwirtschaft.csv"),
    ]

    @Test(arguments: cases.map(\.target))
    func shippedMappingMatchesGolden(_ target: String) throws {
        let entry = try #require(Self.cases.first { $0.target == target })
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let document = try TestSupport.document(entry.submission)
        #expect(try set.route(document, formID: nil) == [target])
        let mapped = try set.map(target: target, document: document, formID: nil, attachments: [])
        let golden = try TestSupport.fixtureData(entry.golden)
        #expect(mapped.body == golden, "output differs from \(entry.golden):\n\(String(decoding: mapped.body, as: UTF8.self))")
        #expect(mapped.fileExtension == (entry.golden as NSString).pathExtension)
    }

    @Test func shippedDirectoryCompiles() throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        #expect(set.targets == ["gewerbeamt", "hundesteuer", "versorgungsamt", "abfallwirtschaft"])
        #expect(set.codeListCount == 3)
    }

    @Test func jsonToJSONKeepsNumberTextAndStringBytes() throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let mapped = try set.map(target: "gewerbeamt", document: try TestSupport.document("gewerbeanmeldung.json"), formID: nil, attachments: [])
        let text = String(decoding: mapped.body, as: UTF8.self)
        #expect(text.contains("\"jahresumsatz\": 85000.50\n"))
        #expect(mapped.body.range(of: Data("Tor „B“.".utf8)) != nil)
        #expect(mapped.body.range(of: Data("Hinterhof – Zugang".utf8)) != nil)
    }

    @Test func decomposedUmlautsAndBigNumbersPassThroughByteForByte() throws {
        // "Mu\u{0308}ller" (u + combining diaeresis) must not be turned into the composed "ü", and a
        // number with more digits than Double holds keeps all of them.
        let json = #"{"name": "Mu\#u{0308}ller", "betrag": 12345678901234567890.123456789, "x": 1e400}"#
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(["t.yaml": """
                match: { where: { path: name, exists: true } }
                output: { format: json, pretty: false }
                fields:
                  - { name: name, path: name }
                  - { name: betrag, path: betrag }
                  - { name: x, path: x }
                """], to: dir)
            let set = try MappingSet.load(directory: dir)
            let document = try SourceDocument.parse(Data(json.utf8), contentType: "application/json")
            let mapped = try set.map(target: "t", document: document, formID: nil, attachments: [])
            let expected = "{\"name\":\"Mu\u{0308}ller\",\"betrag\":12345678901234567890.123456789,\"x\":1e400}\n"
            #expect(Array(mapped.body) == Array(expected.utf8))
        }
    }
}

/// The server parses and maps on many tasks at once: results must not depend on that.
@Suite struct ConcurrencyTests {
    @Test(.timeLimit(.minutes(1)))
    func concurrentParsingAndMappingGiveTheGoldenOutput() async throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let inputs = try GoldenTests.cases.map { entry in
            (entry.target, try TestSupport.fixtureData(entry.submission), entry.submission.hasSuffix(".json") ? "application/json" : "application/xml",
             try TestSupport.fixtureData(entry.golden))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0 ..< 8 {
                group.addTask {
                    for round in 0 ..< 50 {
                        let (target, data, type, golden) = inputs[(task + round) % inputs.count]
                        let document = try SourceDocument.parse(data, contentType: type)
                        let mapped = try set.map(target: target, document: document, formID: nil, attachments: [])
                        #expect(mapped.body == golden)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
