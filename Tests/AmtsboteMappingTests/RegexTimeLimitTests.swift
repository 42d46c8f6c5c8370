import Foundation
import Testing
@testable import AmtsboteMapping

/// Regular expressions run under a time limit: a pattern with catastrophic backtracking fails with
/// `regex-time-limit` instead of blocking a worker, and normal results are unchanged.
@Suite struct RegexTimeLimitTests {
    /// `^(a+)+$` backtracks through 2^28 splits of the a's before giving up on the final `b`.
    static let catastrophicPattern = "^(a+)+$"
    static let catastrophicValue = String(repeating: "a", count: 28) + "b"
    /// Far below the minutes the unbounded match runs, far above the 100 ms CPU-time limit even when
    /// the parallel test load leaves this thread a fraction of a core.
    static let bound: Duration = .seconds(10)

    /// Measured without the limit on this Linux Foundation: `^(a+)+$` on 28 a's + b takes about 0.65 s
    /// (ICU cuts the exponential search short at some point); `a*a*a*a*a*a*b` on 300 a's is
    /// polynomial of degree 6 and was still running after 8 s.
    static let catastrophicCases = [
        (catastrophicPattern, catastrophicValue),
        ("a*a*a*a*a*a*b", String(repeating: "a", count: 300)),
    ]

    @Test(.timeLimit(.minutes(1)), arguments: catastrophicCases)
    func catastrophicMatchStopsAtTheLimit(_ pattern: String, _ value: String) throws {
        let regex = try CompiledRegex(pattern)
        let start = ContinuousClock.now
        let error = #expect(throws: RegexFailure.self) { try regex.matches(value) }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < Self.bound)
        #expect(elapsed >= CompiledRegex.timeLimit)
        #expect(error?.pattern == pattern)
        #expect(error?.kind == .timeLimit(CompiledRegex.limit(forUTF16Count: value.utf16.count)))
        #expect(error?.code == .regexTimeLimit)
        #expect(error?.description.contains("100 ms") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func catastrophicReplaceStopsAtTheLimit() throws {
        let regex = try CompiledRegex("(a+)+$")
        let start = ContinuousClock.now
        let error = #expect(throws: RegexFailure.self) { try regex.replace(in: Self.catastrophicValue, with: "x") }
        #expect(ContinuousClock.now - start < Self.bound)
        #expect(error?.kind == .timeLimit(CompiledRegex.limit(forUTF16Count: Self.catastrophicValue.utf16.count)))
    }

    /// A linear search over a long value (a base64 attachment held as text, 76-character lines)
    /// is not cut off: the limit grows with the value's length. With a flat 100 ms this failed
    /// on 5 MB in a release build (the search itself needed 370 ms under the progress callbacks).
    @Test(.timeLimit(.minutes(1)))
    func longValuesGetTimeInProportion() throws {
        let line = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", count: 3).prefix(76) + "\n"
        let value = String(repeating: String(line), count: 2_000_000 / 77)
        let stripped = try CompiledRegex("\\s+").replace(in: value, with: "")
        #expect(stripped.utf8.count == value.utf8.count - 2_000_000 / 77)
    }

    /// Foundation reports ICU running out of backtracking memory as "no (further) match"; measured: this
    /// pattern gives up after about 30 ms on 2,000,000 a's, well inside the time limit.
    @Test(.timeLimit(.minutes(1)))
    func backtrackLimitIsAnErrorNotANonMatch() throws {
        let regex = try CompiledRegex("(a?)*c")
        let value = String(repeating: "a", count: 2_000_000)
        let matching = #expect(throws: RegexFailure.self) { try regex.matches(value) }
        #expect(matching?.kind == .backtrackLimit)
        #expect(matching?.code == .regexBacktrackLimit)
        #expect(matching?.code.description == "regex-backtrack-limit")
        #expect(matching?.description.contains("'(a?)*c'") == true)
        let replacing = #expect(throws: RegexFailure.self) { try regex.replace(in: value, with: "x") }
        #expect(replacing?.kind == .backtrackLimit)
        // The same pattern on a short value answers normally.
        #expect(try regex.matches("aac"))
        #expect(try regex.replace(in: "aacb", with: "x") == "xb")
    }

    @Test(arguments: [
        ("^DE\\d+", "DE123", true),
        ("^DE\\d+", "AT123", false),
        ("ü", "Grüße", true),
        ("ß$", "Grüß", true),
        ("^.{2}$", "😀ä", true),
        ("^(a+)+$", "aaaa", true),
        ("x", "", false),
    ])
    func matchResultsAreUnchanged(_ pattern: String, _ text: String, _ expected: Bool) throws {
        #expect(try CompiledRegex(pattern).matches(text) == expected)
    }

    @Test(arguments: [
        ("(\\w+)@(\\w+)", "a@b, c@d und ö@ü", "$2 at $1", "b at a, d at c und ü at ö"),
        ("\\s+", " Grüße  aus\tKöln ", "", "GrüßeausKöln"),
        ("(😀+)", "x😀😀y😀z", "[$1]", "x[😀😀]y[😀]z"),
        ("ä", "Bär 😀 Käfer ä", "ae", "Baer 😀 Kaefer ae"),
        ("x*", "a😀b", "-", "-a-😀-b-"),
        ("(\\d)(\\d)", "12 34 5", "$2$1\\$", "21$ 43$ 5"),
        ("nomatch", "unverändert 😀", "y", "unverändert 😀"),
        ("^", "", "start", "start"),
    ])
    func replaceResultsAreUnchanged(_ pattern: String, _ text: String, _ template: String, _ expected: String) throws {
        let regex = try CompiledRegex(pattern)
        let replaced = try regex.replace(in: text, with: template)
        #expect(Array(replaced.utf8) == Array(expected.utf8))
        // Same bytes as Foundation's own (unstoppable) replacement.
        let reference = regex.expression.stringByReplacingMatches(
            in: text, range: NSRange(location: 0, length: text.utf16.count), withTemplate: template)
        #expect(Array(replaced.utf8) == Array(reference.utf8))
    }

    @Test func decomposedUmlautsKeepTheirBytes() throws {
        let decomposed = "Mu\u{0308}ller-Lu\u{0308}denscheid"
        let replaced = try CompiledRegex("-").replace(in: decomposed, with: " ")
        #expect(Array(replaced.utf8) == Array("Mu\u{0308}ller Lu\u{0308}denscheid".utf8))
    }

    /// Maps `json` with a mapping of `match` and `fields` (YAML list items); returns the set and document.
    func load(_ json: String, match: String, fields: String, in dir: URL) throws -> (MappingSet, SourceDocument) {
        try TestSupport.write(["t.yaml": "match: \(match)\noutput: { format: json, pretty: false }\nfields:\n" + fields], to: dir)
        let set = try MappingSet.load(directory: dir)
        return (set, try SourceDocument.parse(Data(json.utf8), contentType: "application/json"))
    }

    static let plainMatch = "{ format: json, where: { path: \".\", exists: true } }"
    static var json: String { #"{"name": "\#(catastrophicValue)", "items": [{"v": "ok"}, {"v": "\#(catastrophicValue)"}]}"# }

    func expectTimeLimitError(_ error: MappingError?, field: String, source: String) throws {
        let error = try #require(error)
        #expect(error.code == .regexTimeLimit)
        #expect(error.code.description == "regex-time-limit")
        #expect(error.target == "t")
        #expect(error.field == field)
        #expect(error.sourcePath == source)
        #expect(error.reason.contains("'" + Self.catastrophicPattern + "'"))
        #expect(!error.description.contains(Self.catastrophicValue))
    }

    /// The error of mapping ``json`` with a mapping whose `match` holds and whose fields are `fields`.
    func mappingError(fields: String) throws -> MappingError? {
        try TestSupport.withTemporaryDirectory { dir in
            let (set, document) = try load(Self.json, match: Self.plainMatch, fields: fields, in: dir)
            return #expect(throws: MappingError.self) { try set.map(target: "t", document: document, formID: nil, attachments: []) }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func replaceInAFieldFailsTheDocument() throws {
        let error = try mappingError(fields: """
              - { name: n, path: name, replace: { pattern: "\(Self.catastrophicPattern)", with: "x" } }
            """)
        try expectTimeLimitError(error, field: "n", source: "name")
    }

    @Test(.timeLimit(.minutes(1)))
    func whenConditionFailsTheDocumentInsteadOfSkippingTheField() throws {
        let error = try mappingError(fields: """
              - { name: flag, value: "1", when: { not: { path: name, matches: "\(Self.catastrophicPattern)" } } }
            """)
        try expectTimeLimitError(error, field: "flag", source: "name")
    }

    @Test(.timeLimit(.minutes(1)))
    func eachFilterFailsTheDocument() throws {
        let error = try mappingError(fields: """
              - name: vs
                each: items
                where: { path: v, matches: "\(Self.catastrophicPattern)" }
                fields:
                  - { name: v, path: v }
            """)
        try expectTimeLimitError(error, field: "vs", source: "v")
    }

    @Test(.timeLimit(.minutes(1)))
    func matchRoutingThrowsInsteadOfNotMatching() throws {
        try TestSupport.withTemporaryDirectory { dir in
            let (set, document) = try load(Self.json, match: "{ format: json, where: { path: name, matches: \"\(Self.catastrophicPattern)\" } }",
                                           fields: "  - { name: x, value: \"1\" }\n", in: dir)
            let start = ContinuousClock.now
            let routing = #expect(throws: MappingError.self) { try set.route(document, formID: nil) }
            #expect(ContinuousClock.now - start < Self.bound)
            try expectTimeLimitError(routing, field: "match", source: "name")
            let mapping = #expect(throws: MappingError.self) { try set.map(target: "t", document: document, formID: nil, attachments: []) }
            try expectTimeLimitError(mapping, field: "match", source: "name")
            // A value the pattern handles quickly still routes.
            let fine = try SourceDocument.parse(Data(#"{"name": "aaaa"}"#.utf8), contentType: "application/json")
            #expect(try set.route(fine, formID: nil) == ["t"])
        }
    }
}
