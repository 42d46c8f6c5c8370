import Foundation

/// The original bytes of a message as read back from its segment.
package struct MessagePayload: Sendable, Hashable {
    package var payload: Data
    package var attachments: [Attachment]

    package init(payload: Data, attachments: [Attachment]) {
        self.payload = payload
        self.attachments = attachments
    }
}
