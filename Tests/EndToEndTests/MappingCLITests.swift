import Foundation
import Testing

/// `amtsbote mapping check|route|test` as an admin uses them: real binary, real files.
@Suite(.timeLimit(.minutes(2)))
struct MappingCLITests {
    let fixtures = AmtsboteProcess.repositoryRoot.appendingPathComponent("Tests/AmtsboteMappingTests/Fixtures")

    @Test func checkShippedMappings() async throws {
        let result = try await AmtsboteProcess.run(["mapping", "check"], in: AmtsboteProcess.repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.text == "mappings: 4 mappings, 3 code list versions; targets: abfallwirtschaft, gewerbeamt, hundesteuer, versorgungsamt\n")
    }

    @Test func checkListsEveryErrorWithPosition() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("match: { formId: f }\noutput: { format: json }\nfields:\n  - { name: a, path: \"x[\" }\n  - { name: b, pth: x }\n".utf8)
            .write(to: dir.appendingPathComponent("broken.yaml"))
        try Data("match: [\n".utf8).write(to: dir.appendingPathComponent("worse.yaml"))
        let result = try await AmtsboteProcess.run(["mapping", "check", dir.path], in: AmtsboteProcess.repositoryRoot)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result.stderr)")
        #expect(lines[0].hasSuffix("broken.yaml:4:25: bad path 'x[': predicate expected after '['"))
        #expect(lines[1].contains("broken.yaml:5:5: field needs a value"))
        #expect(lines[2].contains("broken.yaml:5:16: unknown key 'pth' in field (did you mean 'path'?); expected one of: name,"))
        #expect(lines[3].contains("worse.yaml:2:1: YAML syntax error"))
        #expect(lines[4] == "4 errors")
    }

    @Test func routeSubmissions() async throws {
        let hund = try await AmtsboteProcess.run(["mapping", "route", fixtures.appendingPathComponent("hundesteuer-anmeldung.xml").path], in: AmtsboteProcess.repositoryRoot)
        #expect(hund.status == 0)
        #expect(hund.text == "hundesteuer\n")
        let sperr = try await AmtsboteProcess.run(["mapping", "route", fixtures.appendingPathComponent("sperrmuell-termin.json").path], in: AmtsboteProcess.repositoryRoot)
        #expect(sperr.text == "abfallwirtschaft\n")
    }

    @Test func routeRefusesUnmatchedAndBrokenSubmissions() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = dir.appendingPathComponent("other.json")
        try Data("{\"x\": 1}".utf8).write(to: other)
        let unmatched = try await AmtsboteProcess.run(["mapping", "route", other.path], in: AmtsboteProcess.repositoryRoot)
        #expect(unmatched.status == 1)
        #expect(unmatched.stderr.contains("no target's match fits"))
        let broken = dir.appendingPathComponent("broken.xml")
        try Data("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a>&x;</a>".utf8).write(to: broken)
        let refused = try await AmtsboteProcess.run(["mapping", "route", broken.path], in: AmtsboteProcess.repositoryRoot)
        #expect(refused.status == 65)
        #expect(refused.stderr == "\(broken.path):2:1: error: DOCTYPE and DTD declarations are not accepted\n")
    }

    @Test(arguments: [
        ("gewerbeamt", "gewerbeanmeldung.json", "golden/gewerbeamt.json"),
        ("hundesteuer", "hundesteuer-anmeldung.xml", "golden/hundesteuer.xml"),
        ("versorgungsamt", "schwerbehindertenantrag.xml", "golden/versorgungsamt.json"),
        ("abfallwirtschaft", "sperrmuell-termin.json", "golden/abfallwirtschaft.csv"),
    ])
    func testPrintsExactlyWhatTheTargetReceives(_ target: String, _ submission: String, _ golden: String) async throws {
        let result = try await AmtsboteProcess.run(["mapping", "test", "mappings/\(target).yaml", fixtures.appendingPathComponent(submission).path], in: AmtsboteProcess.repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try Data(contentsOf: fixtures.appendingPathComponent(golden))))
    }

    @Test func testReportsMatchAndRuntimeFailures() async throws {
        let wrong = try await AmtsboteProcess.run(["mapping", "test", "mappings/hundesteuer.yaml", fixtures.appendingPathComponent("gewerbeanmeldung.json").path], in: AmtsboteProcess.repositoryRoot)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("match does not fit"))
        #expect(wrong.stdout.isEmpty)
        let forced = try await AmtsboteProcess.run(["mapping", "test", "--ignore-match", "mappings/hundesteuer.yaml", fixtures.appendingPathComponent("gewerbeanmeldung.json").path], in: AmtsboteProcess.repositoryRoot)
        #expect(forced.status == 1)
        #expect(forced.stderr.contains("mapping for target 'hundesteuer', field 'st:vorgang.@nachricht'"))
        #expect(forced.stderr.contains("required value is missing or empty"))
        #expect(forced.stdout.isEmpty)
    }
}
