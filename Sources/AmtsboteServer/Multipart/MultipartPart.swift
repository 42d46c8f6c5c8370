import Foundation

/// One part of a `multipart/form-data` body, with its bytes exactly as sent.
package struct MultipartPart: Sendable, Equatable {
    /// The `name` of its `Content-Disposition: form-data` header.
    package let name: String
    /// The `filename` (or decoded `filename*`), if the sender gave one.
    package let filename: String?
    /// The part's `Content-Type` header as sent, nil if absent.
    package let contentType: String?
    /// The body bytes, byte-identical to what the sender put between the boundaries.
    package let data: Data

    package init(name: String, filename: String?, contentType: String?, data: Data) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}
