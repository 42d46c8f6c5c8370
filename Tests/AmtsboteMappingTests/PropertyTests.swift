import Foundation
import Testing
@testable import AmtsboteMapping

/// Random, truncated and mutated documents never crash the readers or the evaluator: every outcome is
/// a document or a typed error. Seeded, so a failure is reproducible.
@Suite struct PropertyTests {
    /// SplitMix64: small, fast, deterministic.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let words = ["code", "listURI", "listVersionID", "name", "taetigkeiten", "a", "xhs:hund", "ä", "\u{0308}", "🙂", "x y", ""]

    func randomJSON(_ rng: inout SeededGenerator, depth: Int = 0) -> String {
        switch Int.random(in: 0 ..< (depth > 4 ? 5 : 8), using: &rng) {
        case 0: return "null"
        case 1: return Bool.random(using: &rng) ? "true" : "false"
        case 2: return String(Int.random(in: -1000 ... 100_000, using: &rng)) + (Bool.random(using: &rng) ? ".50" : "")
        case 3, 4: return "\"" + Self.words.randomElement(using: &rng)! + "\""
        case 5, 6:
            let count = Int.random(in: 0 ... 4, using: &rng)
            let members = (0 ..< count).map { i in "\"\(Self.words.randomElement(using: &rng)!)\(i)\": \(randomJSON(&rng, depth: depth + 1))" }
            return "{" + members.joined(separator: ",") + "}"
        default:
            let count = Int.random(in: 0 ... 4, using: &rng)
            return "[" + (0 ..< count).map { _ in randomJSON(&rng, depth: depth + 1) }.joined(separator: ",") + "]"
        }
    }

    func randomXML(_ rng: inout SeededGenerator, depth: Int = 0) -> String {
        let prefixes = ["", "xhs:", "xbd:", "sbh:"]
        let names = ["hund", "rasse", "code", "name", "anlage", "person", "a"]
        let name = prefixes.randomElement(using: &rng)! + names.randomElement(using: &rng)!
        var attributes = ""
        if Bool.random(using: &rng) { attributes += " listURI=\"urn:example:codeliste:hunderassen\"" }
        if Bool.random(using: &rng) { attributes += " listVersionID=\"\(["1", "2024-07-01", "x"].randomElement(using: &rng)!)\"" }
        if depth > 5 || Int.random(in: 0 ..< 3, using: &rng) == 0 {
            return "<\(name)\(attributes)>\(["122", "2021-04-17", "&amp;", "<![CDATA[<&]]>", "Ö", ""].randomElement(using: &rng)!)</\(name)>"
        }
        let children = (0 ..< Int.random(in: 0 ... 4, using: &rng)).map { _ in randomXML(&rng, depth: depth + 1) }.joined()
        return "<\(name)\(attributes)>\(children)</\(name)>"
    }

    func wrapXML(_ body: String) -> String {
        "<xhs:hundesteuer.anmeldung.0100 xmlns:xhs=\"http://www.xhundesteuer.example/spezifikation/1.2\" xmlns:xbd=\"http://www.xbasisdaten.example/basis/2.0\" xmlns:sbh=\"http://www.xschwerbehinderung.example/antrag/1.0\">\(body)</xhs:hundesteuer.anmeldung.0100>"
    }

    /// Parses and, when that works, routes and maps with every shipped mapping. Returns whether it parsed.
    @discardableResult
    func exercise(_ bytes: Data, type: String, set: MappingSet) -> Bool {
        let document: SourceDocument
        do {
            document = try SourceDocument.parse(bytes, contentType: type)
        } catch is DocumentError {
            return false
        } catch {
            Issue.record("untyped error from parse: \(error)")
            return false
        }
        do {
            _ = try set.route(document, formID: "f")
        } catch is MappingError {
        } catch {
            Issue.record("untyped error from route: \(error)")
        }
        for target in set.targets.sorted() {
            do {
                _ = try set.mapIgnoringMatch(target: target, document: document, attachments: [])
            } catch is MappingError {
            } catch {
                Issue.record("untyped error from map: \(error)")
            }
        }
        return true
    }

    func mutate(_ data: Data, _ rng: inout SeededGenerator) -> Data {
        var bytes = [UInt8](data)
        guard !bytes.isEmpty else { return data }
        for _ in 0 ..< Int.random(in: 1 ... 4, using: &rng) {
            let index = Int.random(in: 0 ..< bytes.count, using: &rng)
            switch Int.random(in: 0 ..< 3, using: &rng) {
            case 0: bytes[index] = UInt8.random(in: 0 ... 255, using: &rng)
            case 1: bytes.remove(at: index)
            default: bytes.insert(Array("<>{}[]\",:&;".utf8).randomElement(using: &rng)!, at: index)
            }
            if bytes.isEmpty { break }
        }
        return Data(bytes)
    }

    @Test(.timeLimit(.minutes(2)))
    func randomDocumentsNeverCrash() throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        var rng = SeededGenerator(state: 20_251_126)
        var parsed = 0
        for _ in 0 ..< 1500 {
            if exercise(Data(randomJSON(&rng).utf8), type: "application/json", set: set) { parsed += 1 }
            if exercise(Data(wrapXML(randomXML(&rng)).utf8), type: "application/xml", set: set) { parsed += 1 }
        }
        #expect(parsed > 2500, "the generator should mostly produce valid documents (parsed \(parsed))")
    }

    @Test(.timeLimit(.minutes(2)))
    func truncatedAndMutatedSamplesNeverCrash() throws {
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        var rng = SeededGenerator(state: 42)
        let samples = ["gewerbeanmeldung.json", "hundesteuer-anmeldung.xml", "schwerbehindertenantrag.xml", "sperrmuell-termin.json"]
        var cases = 0
        for name in samples {
            let data = try TestSupport.fixtureData(name)
            let type = name.hasSuffix(".json") ? "application/json" : "application/xml"
            // Every 7th prefix of the document, and a few hundred random mutations.
            for length in stride(from: 0, to: data.count, by: 7) {
                exercise(data.prefix(length), type: type, set: set)
                cases += 1
            }
            for _ in 0 ..< 300 {
                exercise(mutate(data, &rng), type: type, set: set)
                cases += 1
            }
        }
        #expect(cases > 3000)
    }
}
