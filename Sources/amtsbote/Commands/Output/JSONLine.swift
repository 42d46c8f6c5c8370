import AmtsboteSpool
import Foundation

/// One JSON object per line (JSON Lines), keys sorted, times as ISO 8601 UTC strings.
enum JSONLine {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode(_ value: some Encodable) -> String {
        // Encoding plain structs of strings and numbers cannot fail.
        String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func time(_ date: Date?) -> String? {
        date.map(Timestamp.iso8601)
    }
}

/// A job as printed by `queue list --json` (and inside `queue show --json`).
struct JobJSON: Encodable {
    var snapshot: JobSnapshot
    /// `list` prints the attempt count; `show` the whole history.
    var withHistory: Bool

    private enum Keys: String, CodingKey {
        case id, target, state, attempts, receivedAt, nextAttemptAt, lastError, deliveredAt, clientID, history
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(snapshot.messageID.description, forKey: .id)
        try container.encode(snapshot.target, forKey: .target)
        try container.encode(snapshot.state.description, forKey: .state)
        try container.encode(snapshot.attempts.count, forKey: .attempts)
        try container.encode(JSONLine.time(snapshot.receivedAt), forKey: .receivedAt)
        try container.encode(JSONLine.time(snapshot.nextAttemptAt), forKey: .nextAttemptAt)
        try container.encode(snapshot.lastError, forKey: .lastError)
        try container.encode(JSONLine.time(snapshot.deliveredAt), forKey: .deliveredAt)
        try container.encode(snapshot.clientID, forKey: .clientID)
        if withHistory { try container.encode(snapshot.attempts.map(AttemptJSON.init), forKey: .history) }
    }
}

/// One attempt in `queue show --json`.
struct AttemptJSON: Encodable {
    var attempt: Attempt

    private enum Keys: String, CodingKey { case at, outcome, status, error, durationMs, nextAttemptAt }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(JSONLine.time(attempt.at), forKey: .at)
        try container.encode(attempt.outcome.description, forKey: .outcome)
        try container.encode(attempt.status, forKey: .status)
        try container.encode(attempt.error, forKey: .error)
        let (seconds, attoseconds) = attempt.duration.components
        try container.encode(seconds * 1000 + attoseconds / 1_000_000_000_000_000, forKey: .durationMs)
        try container.encode(JSONLine.time(attempt.nextAttemptAt), forKey: .nextAttemptAt)
    }
}

/// A message as printed by `queue show --json`.
struct MessageJSON: Encodable {
    var snapshot: MessageSnapshot

    private enum Keys: String, CodingKey {
        case id, clientID, contentType, receivedAt, targets, idempotencyKey, formID, contentDigest, payloadBytes, attachments, jobs
    }

    private struct AttachmentJSON: Encodable {
        var name: String
        var filename: String?
        var contentType: String
        var size: Int
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(snapshot.id.description, forKey: .id)
        try container.encode(snapshot.clientID, forKey: .clientID)
        try container.encode(snapshot.contentType, forKey: .contentType)
        try container.encode(JSONLine.time(snapshot.receivedAt), forKey: .receivedAt)
        try container.encode(snapshot.targets, forKey: .targets)
        try container.encode(snapshot.idempotencyKey, forKey: .idempotencyKey)
        try container.encode(snapshot.formID, forKey: .formID)
        try container.encode(snapshot.contentDigest, forKey: .contentDigest)
        try container.encode(snapshot.payloadBytes, forKey: .payloadBytes)
        try container.encode(
            snapshot.attachments.map { AttachmentJSON(name: $0.name, filename: $0.filename, contentType: $0.contentType, size: $0.size) },
            forKey: .attachments
        )
        try container.encode(snapshot.jobs.map { JobJSON(snapshot: $0, withHistory: true) }, forKey: .jobs)
    }
}

/// A summary row of `queue --json`.
struct SummaryRowJSON: Encodable {
    var target: String
    var state: String
    var count: Int
    var oldestAgeSeconds: Int64
}

/// A change line of `queue watch --json`.
struct ChangeJSON: Encodable {
    var change: JobChange

    private enum Keys: String, CodingKey { case id, target, from, to, at }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(change.messageID.description, forKey: .id)
        try container.encode(change.target, forKey: .target)
        try container.encode(change.oldState?.description, forKey: .from)
        try container.encode(change.newState?.description ?? "deleted", forKey: .to)
        try container.encode(JSONLine.time(change.at), forKey: .at)
    }
}
