/// What the index can tell about an attachment without reading its bytes.
package struct AttachmentInfo: Sendable, Hashable {
    package var name: String
    package var filename: String?
    package var contentType: String
    /// Size of the attachment's data in bytes.
    package var size: Int

    /// Public to the package so that the admin socket's client can rebuild the value it received.
    package init(
        name: String,
        filename: String?,
        contentType: String,
        size: Int
    ) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.size = size
    }
}
