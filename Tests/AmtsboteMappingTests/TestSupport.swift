import Foundation
import Testing
@testable import AmtsboteMapping

/// Test fixtures and the shipped mappings directory.
enum TestSupport {
    /// The repository's `mappings/` directory (the shipped examples).
    static let shippedMappings = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("mappings")

    /// A file in `Tests/AmtsboteMappingTests/Fixtures/`.
    static func fixture(_ name: String) throws -> URL {
        let fixtures = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures")
        return fixtures.appendingPathComponent(name)
    }

    static func fixtureData(_ name: String) throws -> Data {
        try Data(contentsOf: fixture(name))
    }

    /// Parses a fixture as XML or JSON by its extension.
    static func document(_ name: String) throws -> SourceDocument {
        let type = name.hasSuffix(".json") ? "application/json" : "application/xml"
        return try SourceDocument.parse(fixtureData(name), contentType: type)
    }

    /// Runs `body` with a fresh temporary directory that is removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-mapping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try body(dir)
    }

    /// Async variant of ``withTemporaryDirectory(_:)``.
    static func withTemporaryDirectoryAsync<T>(_ body: (URL) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-mapping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try await body(dir)
    }

    /// Writes `files` (relative path → content) into `dir`.
    static func write(_ files: [String: String], to dir: URL) throws {
        for (path, content) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url, options: .atomic)
        }
    }
}
