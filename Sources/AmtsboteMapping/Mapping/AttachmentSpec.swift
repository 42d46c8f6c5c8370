/// What happens to the submission's attachments.
struct AttachmentSpec: Sendable {
    enum Mode: String, Sendable {
        /// Embedded in the body as base64.
        case base64
        /// Passed as separate parts; the body lists them.
        case parts
        /// Not passed on.
        case drop
    }

    var mode: Mode = .drop
    /// Where the attachment list goes in the body.
    var field: OutputName?
    /// Attachments embedded in the document (XÖV `anlage` elements), if the mapping names them.
    var inline: InlineAttachments?
}
