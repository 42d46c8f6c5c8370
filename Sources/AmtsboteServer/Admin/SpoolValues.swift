import AmtsboteSpool
import Foundation

/// Builds spool snapshot values on the client side of the admin socket.
///
/// `JobSnapshot`, `MessageSnapshot`, `AttachmentInfo`, `QueueSummary.Row`, `PurgeReport` and
/// `JobChange` have only their implicit (internal) memberwise initialisers, so another module
/// cannot create them. Until AmtsboteSpool offers `package init`s (requested from the spool's
/// owner), this file builds them from a layout-identical mirror struct: the mirrors declare
/// the same stored properties in the same order, which in a non-resilient module gives the
/// same memory layout. Every construction is checked: equal size, stride and alignment, and
/// every field read back through the real type must equal what was put in — a spool change
/// that breaks the mirror makes the admin client fail with a clear error instead of
/// producing wrong values. Nothing else in the module does this; delete the file once the
/// initialisers exist.
enum SpoolValues {
    private struct JobSnapshotLayout {
        var messageID: MessageID
        var target: String
        var state: JobState
        var attempts: [Attempt]
        var receivedAt: Date
        var nextAttemptAt: Date?
        var lastError: String?
        var deliveredAt: Date?
        var clientID: String
    }

    private struct MessageSnapshotLayout {
        var id: MessageID
        var clientID: String
        var contentType: String
        var receivedAt: Date
        var targets: [String]
        var idempotencyKey: String?
        var formID: String?
        var contentDigest: String?
        var payloadBytes: Int
        var attachments: [AttachmentInfo]
        var jobs: [JobSnapshot]
    }

    private struct AttachmentInfoLayout {
        var name: String
        var filename: String?
        var contentType: String
        var size: Int
    }

    private struct SummaryRowLayout {
        var target: String
        var state: JobState
        var count: Int
        var oldestAge: Duration
    }

    private struct PurgeReportLayout {
        var messages: Int
        var jobs: Int
        var bytesReclaimed: Int64
        var segmentsRewritten: Int
        var dryRun: Bool
    }

    private struct JobChangeLayout {
        var messageID: MessageID
        var target: String
        var oldState: JobState?
        var newState: JobState?
        var at: Date
    }

    static func jobSnapshot(
        messageID: MessageID, target: String, state: JobState, attempts: [Attempt], receivedAt: Date,
        nextAttemptAt: Date?, lastError: String?, deliveredAt: Date?, clientID: String
    ) throws -> JobSnapshot {
        let layout = JobSnapshotLayout(
            messageID: messageID, target: target, state: state, attempts: attempts, receivedAt: receivedAt,
            nextAttemptAt: nextAttemptAt, lastError: lastError, deliveredAt: deliveredAt, clientID: clientID
        )
        let value: JobSnapshot = try cast(layout)
        try verify(
            value.messageID == messageID && value.target.utf8.elementsEqual(target.utf8) && value.state == state && value.attempts == attempts
                && value.receivedAt == receivedAt && value.nextAttemptAt == nextAttemptAt && value.lastError == lastError
                && value.deliveredAt == deliveredAt && value.clientID.utf8.elementsEqual(clientID.utf8),
            "JobSnapshot"
        )
        return value
    }

    static func messageSnapshot(
        id: MessageID, clientID: String, contentType: String, receivedAt: Date, targets: [String], idempotencyKey: String?,
        formID: String?, contentDigest: String?, payloadBytes: Int, attachments: [AttachmentInfo], jobs: [JobSnapshot]
    ) throws -> MessageSnapshot {
        let layout = MessageSnapshotLayout(
            id: id, clientID: clientID, contentType: contentType, receivedAt: receivedAt, targets: targets, idempotencyKey: idempotencyKey,
            formID: formID, contentDigest: contentDigest, payloadBytes: payloadBytes, attachments: attachments, jobs: jobs
        )
        let value: MessageSnapshot = try cast(layout)
        try verify(
            value.id == id && value.clientID == clientID && value.contentType == contentType && value.receivedAt == receivedAt
                && value.targets == targets && value.idempotencyKey == idempotencyKey && value.formID == formID
                && value.contentDigest == contentDigest && value.payloadBytes == payloadBytes && value.attachments == attachments
                && value.jobs == jobs,
            "MessageSnapshot"
        )
        return value
    }

    static func attachmentInfo(name: String, filename: String?, contentType: String, size: Int) throws -> AttachmentInfo {
        let value: AttachmentInfo = try cast(AttachmentInfoLayout(name: name, filename: filename, contentType: contentType, size: size))
        try verify(value.name == name && value.filename == filename && value.contentType == contentType && value.size == size, "AttachmentInfo")
        return value
    }

    static func summaryRow(target: String, state: JobState, count: Int, oldestAge: Duration) throws -> QueueSummary.Row {
        let value: QueueSummary.Row = try cast(SummaryRowLayout(target: target, state: state, count: count, oldestAge: oldestAge))
        try verify(value.target == target && value.state == state && value.count == count && value.oldestAge == oldestAge, "QueueSummary.Row")
        return value
    }

    static func purgeReport(messages: Int, jobs: Int, bytesReclaimed: Int64, segmentsRewritten: Int, dryRun: Bool) throws -> PurgeReport {
        let layout = PurgeReportLayout(messages: messages, jobs: jobs, bytesReclaimed: bytesReclaimed, segmentsRewritten: segmentsRewritten, dryRun: dryRun)
        let value: PurgeReport = try cast(layout)
        try verify(
            value.messages == messages && value.jobs == jobs && value.bytesReclaimed == bytesReclaimed
                && value.segmentsRewritten == segmentsRewritten && value.dryRun == dryRun,
            "PurgeReport"
        )
        return value
    }

    static func jobChange(messageID: MessageID, target: String, oldState: JobState?, newState: JobState?, at: Date) throws -> JobChange {
        let value: JobChange = try cast(JobChangeLayout(messageID: messageID, target: target, oldState: oldState, newState: newState, at: at))
        try verify(
            value.messageID == messageID && value.target == target && value.oldState == oldState && value.newState == newState && value.at == at,
            "JobChange"
        )
        return value
    }

    private static func cast<Layout, Value>(_ layout: Layout) throws -> Value {
        guard MemoryLayout<Layout>.size == MemoryLayout<Value>.size, MemoryLayout<Layout>.stride == MemoryLayout<Value>.stride,
            MemoryLayout<Layout>.alignment == MemoryLayout<Value>.alignment
        else {
            throw SpoolError(.invalidArgument, "the admin client does not match this build's spool types (\(Value.self)); rebuild amtsbote")
        }
        return unsafeBitCast(layout, to: Value.self)
    }

    private static func verify(_ matches: Bool, _ type: String) throws {
        guard matches else {
            throw SpoolError(.invalidArgument, "the admin client does not match this build's spool types (\(type)); rebuild amtsbote")
        }
    }
}
