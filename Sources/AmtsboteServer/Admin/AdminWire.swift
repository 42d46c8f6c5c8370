import AmtsboteSpool
import Foundation

/// The admin socket's JSON wire format: Codable mirrors of the spool's operator types.
///
/// Times travel as seconds since the epoch (a `Double`, which JSON round-trips exactly, so the
/// CLI prints the same times as it would reading the spool itself), durations as nanoseconds,
/// bytes as base64. Both ends are this module, so the format only has to be
/// stable within one build; it is still versioned by path (`/v1/admin/...`).
package enum AdminWire {
    package struct AttemptDTO: Codable, Sendable {
        var at: Double
        var outcome: UInt8
        var status: Int?
        var error: String?
        var durationNs: Int64
        var nextAttemptAt: Double?

        init(_ attempt: Attempt) {
            self.at = epochSeconds(attempt.at)
            self.outcome = attempt.outcome.rawValue
            self.status = attempt.status
            self.error = attempt.error
            self.durationNs = nanos(attempt.duration)
            self.nextAttemptAt = attempt.nextAttemptAt.map(epochSeconds)
        }

        var value: Attempt {
            Attempt(
                at: date(self.at),
                outcome: .init(rawValue: self.outcome),
                status: self.status,
                error: self.error,
                duration: .nanoseconds(self.durationNs),
                nextAttemptAt: self.nextAttemptAt.map(date)
            )
        }
    }

    package struct JobDTO: Codable, Sendable {
        var messageID: String
        var target: String
        var state: String
        var attempts: [AttemptDTO]
        var receivedAt: Double
        var nextAttemptAt: Double?
        var lastError: String?
        var deliveredAt: Double?
        var clientID: String

        init(_ job: JobSnapshot) {
            self.messageID = job.messageID.description
            self.target = job.target
            self.state = job.state.description
            self.attempts = job.attempts.map(AttemptDTO.init)
            self.receivedAt = epochSeconds(job.receivedAt)
            self.nextAttemptAt = job.nextAttemptAt.map(epochSeconds)
            self.lastError = job.lastError
            self.deliveredAt = job.deliveredAt.map(epochSeconds)
            self.clientID = job.clientID
        }

        func value() throws -> JobSnapshot {
            try JobSnapshot(
                messageID: parseMessageID(self.messageID),
                target: self.target,
                state: parseJobState(self.state),
                attempts: self.attempts.map(\.value),
                receivedAt: date(self.receivedAt),
                nextAttemptAt: self.nextAttemptAt.map(date),
                lastError: self.lastError,
                deliveredAt: self.deliveredAt.map(date),
                clientID: self.clientID
            )
        }
    }

    package struct AttachmentInfoDTO: Codable, Sendable {
        var name: String
        var filename: String?
        var contentType: String
        var size: Int
    }

    package struct MessageDTO: Codable, Sendable {
        var id: String
        var clientID: String
        var contentType: String
        var receivedAt: Double
        var targets: [String]
        var idempotencyKey: String?
        var formID: String?
        var contentDigest: String?
        var payloadBytes: Int
        var attachments: [AttachmentInfoDTO]
        var jobs: [JobDTO]

        init(_ message: MessageSnapshot) {
            self.id = message.id.description
            self.clientID = message.clientID
            self.contentType = message.contentType
            self.receivedAt = epochSeconds(message.receivedAt)
            self.targets = message.targets
            self.idempotencyKey = message.idempotencyKey
            self.formID = message.formID
            self.contentDigest = message.contentDigest
            self.payloadBytes = message.payloadBytes
            self.attachments = message.attachments.map { .init(name: $0.name, filename: $0.filename, contentType: $0.contentType, size: $0.size) }
            self.jobs = message.jobs.map(JobDTO.init)
        }

        func value() throws -> MessageSnapshot {
            try MessageSnapshot(
                id: parseMessageID(self.id),
                clientID: self.clientID,
                contentType: self.contentType,
                receivedAt: date(self.receivedAt),
                targets: self.targets,
                idempotencyKey: self.idempotencyKey,
                formID: self.formID,
                contentDigest: self.contentDigest,
                payloadBytes: self.payloadBytes,
                attachments: self.attachments.map { AttachmentInfo(name: $0.name, filename: $0.filename, contentType: $0.contentType, size: $0.size) },
                jobs: self.jobs.map { try $0.value() }
            )
        }
    }

    package struct AttachmentDTO: Codable, Sendable {
        var name: String
        var filename: String?
        var contentType: String
        var data: Data

        init(_ attachment: Attachment) {
            self.name = attachment.name
            self.filename = attachment.filename
            self.contentType = attachment.contentType
            self.data = attachment.data
        }

        var value: Attachment { Attachment(name: self.name, filename: self.filename, contentType: self.contentType, data: self.data) }
    }

    package struct PayloadDTO: Codable, Sendable {
        var payload: Data
        var attachments: [AttachmentDTO]

        init(_ payload: MessagePayload) {
            self.payload = payload.payload
            self.attachments = payload.attachments.map(AttachmentDTO.init)
        }

        var value: MessagePayload { MessagePayload(payload: self.payload, attachments: self.attachments.map(\.value)) }
    }

    package struct NewMessageDTO: Codable, Sendable {
        var clientID: String
        var contentType: String
        var targets: [String]
        var idempotencyKey: String?
        var formID: String?
        var contentDigest: String?
        var payload: Data
        var attachments: [AttachmentDTO]

        init(_ message: NewMessage) {
            self.clientID = message.clientID
            self.contentType = message.contentType
            self.targets = message.targets
            self.idempotencyKey = message.idempotencyKey
            self.formID = message.formID
            self.contentDigest = message.contentDigest
            self.payload = message.payload
            self.attachments = message.attachments.map(AttachmentDTO.init)
        }

        var value: NewMessage {
            NewMessage(
                clientID: self.clientID,
                contentType: self.contentType,
                targets: self.targets,
                idempotencyKey: self.idempotencyKey,
                formID: self.formID,
                contentDigest: self.contentDigest,
                payload: self.payload,
                attachments: self.attachments.map(\.value)
            )
        }
    }

    package struct ReceiptDTO: Codable, Sendable {
        var id: String
        var receivedAt: Double
        var targets: [String]

        init(_ receipt: Receipt) {
            self.id = receipt.id.description
            self.receivedAt = epochSeconds(receipt.receivedAt)
            self.targets = receipt.targets
        }

        func value() throws -> Receipt { Receipt(id: try parseMessageID(self.id), receivedAt: date(self.receivedAt), targets: self.targets) }
    }

    package struct SummaryDTO: Codable, Sendable {
        struct Row: Codable, Sendable {
            var target: String
            var state: String
            var count: Int
            var oldestAgeNs: Int64
        }

        var rows: [Row]
        var now: Double

        init(_ summary: QueueSummary) {
            self.rows = summary.rows.map { Row(target: $0.target, state: $0.state.description, count: $0.count, oldestAgeNs: nanos($0.oldestAge)) }
            self.now = epochSeconds(summary.now)
        }

        func value() throws -> QueueSummary {
            QueueSummary(
                rows: try self.rows.map {
                    try QueueSummary.Row(target: $0.target, state: parseJobState($0.state), count: $0.count, oldestAge: .nanoseconds($0.oldestAgeNs))
                },
                now: date(self.now)
            )
        }
    }

    package struct SelectionDTO: Codable, Sendable {
        var ids: [String]?
        var target: String?
        var state: String?

        init(_ selection: JobSelection) {
            self.ids = selection.ids?.map(\.description)
            self.target = selection.target
            self.state = selection.state?.description
        }

        func value() throws -> JobSelection {
            JobSelection(ids: try self.ids?.map(parseMessageID), target: self.target, state: try self.state.map(parseJobState))
        }
    }

    package struct CountDTO: Codable, Sendable {
        var count: Int
    }

    package struct PurgeRequestDTO: Codable, Sendable {
        var olderThanNs: Int64
        var dryRun: Bool
    }

    package struct PurgeReportDTO: Codable, Sendable {
        var messages: Int
        var jobs: Int
        var bytesReclaimed: Int64
        var segmentsRewritten: Int
        var corruptCopiesRemoved: Int
        var dryRun: Bool

        init(_ report: PurgeReport) {
            self.messages = report.messages
            self.jobs = report.jobs
            self.bytesReclaimed = report.bytesReclaimed
            self.segmentsRewritten = report.segmentsRewritten
            self.corruptCopiesRemoved = report.corruptCopiesRemoved
            self.dryRun = report.dryRun
        }

        func value() throws -> PurgeReport {
            PurgeReport(
                messages: self.messages,
                jobs: self.jobs,
                bytesReclaimed: self.bytesReclaimed,
                segmentsRewritten: self.segmentsRewritten,
                corruptCopiesRemoved: self.corruptCopiesRemoved,
                dryRun: self.dryRun
            )
        }
    }

    package struct ChangeDTO: Codable, Sendable {
        var messageID: String
        var target: String
        var oldState: String?
        var newState: String?
        var at: Double

        init(_ change: JobChange) {
            self.messageID = change.messageID.description
            self.target = change.target
            self.oldState = change.oldState?.description
            self.newState = change.newState?.description
            self.at = epochSeconds(change.at)
        }

        func value() throws -> JobChange {
            try JobChange(
                messageID: parseMessageID(self.messageID),
                target: self.target,
                oldState: self.oldState.map(parseJobState),
                newState: self.newState.map(parseJobState),
                at: date(self.at)
            )
        }
    }

    /// A `SpoolError` on the wire; the client rethrows it with the same code.
    package struct ErrorDTO: Codable, Sendable {
        var code: String
        var message: String
        var pid: Int32?
        var errno: Int32?

        init(_ error: SpoolError) {
            self.code = error.code.description
            self.message = error.message
            self.pid = error.pid
            self.errno = error.errno
        }

        var value: SpoolError {
            let codes: [SpoolError.Code] = [
                .locked, .messageTooLarge, .diskFull, .writeFailed, .readFailed, .unknownID, .corrupt, .invalidArgument, .closed, .noSpool,
            ]
            let code = codes.first { $0.description == self.code } ?? .readFailed
            return SpoolError(code, self.message, pid: self.pid, errno: self.errno)
        }
    }
}

private func epochSeconds(_ date: Date) -> Double { date.timeIntervalSince1970 }
private func nanos(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
}
private func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

private func parseMessageID(_ text: String) throws -> MessageID {
    guard let id = MessageID(text) else { throw SpoolError(.invalidArgument, "admin socket sent an invalid message id") }
    return id
}

private func parseJobState(_ name: String) throws -> JobState {
    guard let state = JobState(name: name) else { throw SpoolError(.invalidArgument, "admin socket sent an unknown job state") }
    return state
}
