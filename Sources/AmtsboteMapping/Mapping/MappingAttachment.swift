import Foundation

/// An attachment: one that came with the submission outside the document (e.g. multipart upload),
/// or, as ``MappedPart``, one passed on to the target as a separate part.
package struct MappingAttachment: Sendable, Equatable {
    /// File name.
    package var name: String
    /// Media type.
    package var contentType: String
    /// The bytes.
    package var data: Data

    package init(name: String, contentType: String, data: Data) {
        self.name = name
        self.contentType = contentType
        self.data = data
    }
}
