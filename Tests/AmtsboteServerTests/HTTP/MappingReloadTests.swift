import Foundation
import Testing

@testable import AmtsboteServer

@Suite("Mapping reload while serving", .timeLimit(.minutes(1)))
struct MappingReloadTests {
    private static let newMapping = """
        target: abfallwirtschaft
        description: Reload test.
        match:
          format: json
          where:
            path: reloadtest/kind
            equals: "neu"
        output:
          format: json
        fields:
          - name: kind
            path: /reloadtest/kind
            required: true

        """

    private func waitFor(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<50 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("a new mapping file routes within seconds; a broken edit is logged with file:line:column and the old set stays")
    func reloadGoodAndBroken() async throws {
        try await TestServer.with { server in
            let mappings = server.directory.appendingPathComponent("mappings")
            let document = Data("{\"reloadtest\": {\"kind\": \"neu\"}}".utf8)
            #expect(try await server.submit(document, contentType: "application/json").status == 422)

            try Self.newMapping.write(to: mappings.appendingPathComponent("reloadtest.yaml"), atomically: true, encoding: .utf8)
            let routed = try await self.waitFor { try await server.submit(document, contentType: "application/json").status == 202 }
            #expect(routed, "the new mapping was not picked up within 5 s")

            // Break the file: a tab in the indentation is a YAML syntax error (line 4).
            let broken = Self.newMapping.replacingOccurrences(of: "  where:", with: "\twhere:")
            try broken.write(to: mappings.appendingPathComponent("reloadtest.yaml"), atomically: true, encoding: .utf8)
            let log = server.directory.appendingPathComponent("server.log")
            let logged = try await self.waitFor {
                (try? String(contentsOf: log, encoding: .utf8))?.contains("Mapping reload refused") == true
            }
            #expect(logged)
            let text = try String(contentsOf: log, encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.contains("Mapping reload refused") })
            #expect(line.contains("reloadtest.yaml:5:1: YAML syntax error"), "\(line)")
            // The previous set (with the new mapping) is still live.
            #expect(try await server.submit(document, contentType: "application/json").status == 202)
            #expect(try await server.submit(try RepositoryPaths.fixture("sperrmuell-termin.json"), contentType: "application/json").status == 202)

            // Removing the broken file reloads again: the test mapping is gone.
            try FileManager.default.removeItem(at: mappings.appendingPathComponent("reloadtest.yaml"))
            let removed = try await self.waitFor { try await server.submit(document, contentType: "application/json").status == 422 }
            #expect(removed)
            let metrics = try await server.request(.GET, "/metrics", token: nil).text
            #expect(metrics.contains("amtsbote_mapping_reloads_total{outcome=\"loaded\"} 2"))
            #expect(metrics.contains("amtsbote_mapping_reloads_total{outcome=\"refused\"} 1"))
        }
    }
}
