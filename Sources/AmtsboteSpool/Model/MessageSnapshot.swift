import Foundation

/// A message's envelope and its jobs, without the payload bytes (see `Spool.payload`).
package struct MessageSnapshot: Sendable, Hashable {
    package var id: MessageID
    package var clientID: String
    package var contentType: String
    package var receivedAt: Date
    package var targets: [String]
    package var idempotencyKey: String?
    package var formID: String?
    package var contentDigest: String?
    /// Size of the original payload in bytes.
    package var payloadBytes: Int
    package var attachments: [AttachmentInfo]
    /// The jobs still known (deleted jobs are left out).
    package var jobs: [JobSnapshot]

    /// Public to the package so that the admin socket's client can rebuild the value it received.
    package init(
        id: MessageID,
        clientID: String,
        contentType: String,
        receivedAt: Date,
        targets: [String],
        idempotencyKey: String?,
        formID: String?,
        contentDigest: String?,
        payloadBytes: Int,
        attachments: [AttachmentInfo],
        jobs: [JobSnapshot]
    ) {
        self.id = id
        self.clientID = clientID
        self.contentType = contentType
        self.receivedAt = receivedAt
        self.targets = targets
        self.idempotencyKey = idempotencyKey
        self.formID = formID
        self.contentDigest = contentDigest
        self.payloadBytes = payloadBytes
        self.attachments = attachments
        self.jobs = jobs
    }
}
