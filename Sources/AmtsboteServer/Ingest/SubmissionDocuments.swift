import AmtsboteSpool
import Foundation

/// The JSON bodies the ingest API answers with: the receipt and the status document.
///
/// Status documents carry ids, target names, states, times and the spool's short,
/// content-free error texts — never form content.
package enum SubmissionDocuments {
    /// `{id, receivedAt, targets, status: "accepted"}`.
    package static func receipt(_ receipt: Receipt) -> JSONValue {
        .object([
            "id": .string(receipt.id.description),
            "receivedAt": .string(Timestamp.iso8601(receipt.receivedAt)),
            "targets": .array(receipt.targets.map(JSONValue.string)),
            "status": .string("accepted"),
        ])
    }

    /// The overall state of a message, derived from its jobs.
    package static func overallStatus(_ jobs: [JobSnapshot]) -> String {
        if jobs.isEmpty { return "withdrawn" }
        if jobs.allSatisfy({ $0.state == .delivered }) { return "delivered" }
        let pending = jobs.contains { [.queued, .delivering, .deferred, .held].contains($0.state) }
        return pending ? "pending" : "failed"
    }

    /// `{id, receivedAt, status, targets: [{target, state, attempts, lastAttemptAt, lastError, nextAttemptAt, deliveredAt}]}`.
    package static func status(_ message: MessageSnapshot) -> JSONValue {
        let jobs = message.jobs.sorted { $0.target.utf8.lexicographicallyPrecedes($1.target.utf8) }
        return .object([
            "id": .string(message.id.description),
            "receivedAt": .string(Timestamp.iso8601(message.receivedAt)),
            "status": .string(self.overallStatus(jobs)),
            "targets": .array(jobs.map(self.targetStatus)),
        ])
    }

    private static func targetStatus(_ job: JobSnapshot) -> JSONValue {
        .object([
            "target": .string(job.target),
            "state": .string(job.state.description),
            "attempts": .int(job.attempts.count),
            "lastAttemptAt": self.date(job.attempts.last?.at),
            "lastError": job.lastError.map(JSONValue.string) ?? .null,
            "lastStatus": job.attempts.last?.status.map(JSONValue.int) ?? .null,
            "nextAttemptAt": job.state == .deferred || job.state == .queued ? self.date(job.nextAttemptAt) : .null,
            "deliveredAt": self.date(job.deliveredAt),
        ])
    }

    private static func date(_ date: Date?) -> JSONValue {
        date.map { .string(Timestamp.iso8601($0)) } ?? .null
    }
}
