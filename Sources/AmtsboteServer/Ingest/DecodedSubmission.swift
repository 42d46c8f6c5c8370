import AmtsboteSpool
import Crypto
import Foundation

/// A submission taken apart from its HTTP body: the form document and its attachments.
package struct DecodedSubmission: Sendable {
    /// Media type of the document as sent (`application/xml; charset=utf-8`).
    package let contentType: String
    /// The document's bytes exactly as sent.
    package let payload: Data
    /// Attachment parts in the order sent, bytes exactly as sent.
    package let attachments: [Attachment]

    package init(contentType: String, payload: Data, attachments: [Attachment]) {
        self.contentType = contentType
        self.payload = payload
        self.attachments = attachments
    }

    /// SHA-256 (hex) over the content, for "same Idempotency-Key, same body".
    ///
    /// Computed over the decoded parts, not the raw HTTP body, because a client retrying a
    /// multipart request legitimately picks a new random boundary. Every field is
    /// length-prefixed so that no two different submissions hash the same input.
    package func contentDigest() -> String {
        var hasher = SHA256()
        func add(_ bytes: some DataProtocol) {
            var length = UInt64(bytes.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        add(Data(self.contentType.utf8))
        add(self.payload)
        for attachment in self.attachments {
            add(Data(attachment.name.utf8))
            add(Data((attachment.filename ?? "").utf8))
            add(Data([attachment.filename == nil ? 0 : 1]))
            add(Data(attachment.contentType.utf8))
            add(attachment.data)
        }
        return Hex.encode(hasher.finalize())
    }
}
