import Foundation

/// A submission handed to `Spool.accept`; the spool adds id and reception time.
package struct NewMessage: Sendable {
    /// Who sent it (the portal client's configured name); part of the idempotency scope.
    package var clientID: String
    package var contentType: String
    /// The targets the router chose; one job is created per target. Must not be empty.
    package var targets: [String]
    /// The client's `Idempotency-Key`, compared byte for byte (see `Spool.lookupIdempotencyKey`).
    package var idempotencyKey: String?
    /// The form type, if known (e.g. an XÖV message type); shown to operators.
    package var formID: String?
    /// A fingerprint of the request body computed by the caller (e.g. SHA-256 hex), stored and
    /// returned by idempotency look-ups so the caller can tell "same key, other body".
    package var contentDigest: String?
    /// The original bytes, never re-encoded.
    package var payload: Data
    package var attachments: [Attachment]

    package init(
        clientID: String,
        contentType: String,
        targets: [String],
        idempotencyKey: String? = nil,
        formID: String? = nil,
        contentDigest: String? = nil,
        payload: Data,
        attachments: [Attachment] = []
    ) {
        self.clientID = clientID
        self.contentType = contentType
        self.targets = targets
        self.idempotencyKey = idempotencyKey
        self.formID = formID
        self.contentDigest = contentDigest
        self.payload = payload
        self.attachments = attachments
    }

    /// Payload plus attachment bytes: what `SpoolConfiguration.maxMessageBytes` limits.
    package var contentBytes: Int {
        attachments.reduce(payload.count) { $0 + $1.data.count }
    }
}
