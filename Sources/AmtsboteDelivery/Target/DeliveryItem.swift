import Foundation

/// One job ready to send: who it is (ids for the idempotency key and file names) and what to send.
package struct DeliveryItem: Sendable {
    /// The message id as printed (`MessageID.description`).
    package var messageID: String
    /// The target name as configured.
    package var target: String
    /// The submission's form id, if known (file name placeholder `{form}`).
    package var formID: String?
    /// When the spool accepted the message (file name placeholders `{date}`, `{time}`).
    package var receivedAt: Date
    package var document: OutgoingDocument

    package init(messageID: String, target: String, formID: String?, receivedAt: Date, document: OutgoingDocument) {
        self.messageID = messageID
        self.target = target
        self.formID = formID
        self.receivedAt = receivedAt
        self.document = document
    }

    /// `<message-id>/<target>`: stable across retries, restarts and re-mapping, so a target can drop
    /// the duplicate a crash between "target said yes" and "we recorded it" causes.
    package var idempotencyKey: String { "\(messageID)/\(target)" }
}
