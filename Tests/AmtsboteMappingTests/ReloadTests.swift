import Foundation
import Testing
@testable import AmtsboteMapping

/// `MappingStore.reload()` swaps in a new set atomically, and keeps the old one when a file is broken.
@Suite struct ReloadTests {
    static let good = """
        match: { where: { path: kind, equals: a } }
        output: { format: json, pretty: false }
        fields:
          - { name: v, path: value }
        """

    func map(_ store: MappingStore, target: String) throws -> String {
        let document = try SourceDocument.parse(Data(#"{"kind": "a", "value": "x"}"#.utf8), contentType: "application/json")
        return String(decoding: try store.current.map(target: target, document: document, formID: nil, attachments: []).body, as: UTF8.self)
    }

    @Test func reloadKeepsOldSetOnBrokenFile() throws {
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(["alpha.yaml": Self.good], to: dir)
            let store = try MappingStore(directory: dir)
            #expect(store.current.targets == ["alpha"])
            #expect(try map(store, target: "alpha") == "{\"v\":\"x\"}\n")

            // A second file with a typo: reload fails, lists the error, and alpha keeps working.
            try TestSupport.write(["beta.yaml": Self.good.replacingOccurrences(of: "path: value", with: "pth: value")], to: dir)
            let failure = try #require(throws: MappingLoadErrors.self) { try store.reload() }
            #expect(failure.errors.contains { $0.file.hasSuffix("beta.yaml") && $0.line == 4 && $0.message.contains("unknown key 'pth'") })
            #expect(store.current.targets == ["alpha"])
            #expect(try map(store, target: "alpha") == "{\"v\":\"x\"}\n")

            // Breaking the file in use does not take it away either.
            try TestSupport.write(["alpha.yaml": "match: [", "beta.yaml": Self.good], to: dir)
            #expect(throws: MappingLoadErrors.self) { try store.reload() }
            #expect(store.current.targets == ["alpha"])

            // Fixed: the new set replaces the old one as a whole.
            try TestSupport.write(["alpha.yaml": Self.good.replacingOccurrences(of: "name: v", with: "name: w")], to: dir)
            let fresh = try store.reload()
            #expect(fresh.targets == ["alpha", "beta"])
            #expect(store.current.targets == ["alpha", "beta"])
            #expect(try map(store, target: "alpha") == "{\"w\":\"x\"}\n")
        }
    }

    @Test func brokenDirectoryAtStartThrows() throws {
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(["a.yaml": "fields: ["], to: dir)
            #expect(throws: MappingLoadErrors.self) { try MappingStore(directory: dir) }
            #expect(throws: MappingLoadErrors.self) { try MappingStore(directory: dir.appendingPathComponent("missing")) }
        }
    }

    @Test func concurrentReadersAlwaysSeeACompleteSet() async throws {
        try await TestSupport.withTemporaryDirectoryAsync { dir in
            try TestSupport.write(["alpha.yaml": Self.good], to: dir)
            let store = try MappingStore(directory: dir)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for round in 0 ..< 20 {
                        let name = round % 2 == 0 ? "w" : "v"
                        try TestSupport.write(["alpha.yaml": Self.good.replacingOccurrences(of: "name: v", with: "name: \(name)")], to: dir)
                        try store.reload()
                    }
                }
                for _ in 0 ..< 2 {
                    group.addTask {
                        for _ in 0 ..< 200 {
                            let text = try map(store, target: "alpha")
                            #expect(text == "{\"v\":\"x\"}\n" || text == "{\"w\":\"x\"}\n")
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
