/// What the index can tell about an attachment without reading its bytes.
package struct AttachmentInfo: Sendable, Hashable {
    package var name: String
    package var filename: String?
    package var contentType: String
    /// Size of the attachment's data in bytes.
    package var size: Int
}
