import Foundation

/// Paths of the package checkout and of this test target's fixtures.
enum RepositoryPaths {
    /// The package root (three levels above this file: Tests/AmtsboteServerTests/Support/).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fixture file's bytes (copies of /work/shared/samples/submissions/*).
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent("Tests/AmtsboteServerTests/Fixtures/\(name)"))
    }
}
