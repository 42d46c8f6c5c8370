import Foundation

/// Runs `body` with a fresh, unique directory that is removed afterwards (also on error).
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-spool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Claims and finishes every due job of `target` as delivered.
func deliverAll(_ spool: Spool, target: String) async throws {
    while let job = spool.claimNextDue(target: target) {
        try await spool.finish(job, attempt: Attempt(at: Date(), outcome: .delivered, status: 200), result: .delivered)
    }
}

/// A small submission for tests.
func sampleMessage(
    _ text: String = "<antrag>Müller</antrag>",
    targets: [String] = ["gewerbeamt"],
    key: String? = nil,
    attachments: [Attachment] = []
) -> NewMessage {
    NewMessage(
        clientID: "portal",
        contentType: "application/xml",
        targets: targets,
        idempotencyKey: key,
        formID: "gewerbeanmeldung",
        contentDigest: key.map { "digest-\($0)" },
        payload: Data(text.utf8),
        attachments: attachments
    )
}

@testable import AmtsboteSpool
