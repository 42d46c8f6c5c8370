import Foundation

/// What a target receives: the mapped body and, when attachments go as separate parts, those parts.
package struct MappedDocument: Sendable, Equatable {
    /// The serialised body (JSON, XML or CSV, UTF-8).
    package var body: Data
    /// Media type of `body`, e.g. `application/json`.
    package var contentType: String
    /// File extension without dot (`json`, `xml`, `csv`), for file-drop targets.
    package var fileExtension: String
    /// Attachments passed as separate parts (empty unless the mapping says `attachments: {mode: parts}`).
    package var parts: [MappedPart]

    package init(body: Data, contentType: String, fileExtension: String, parts: [MappedPart]) {
        self.body = body
        self.contentType = contentType
        self.fileExtension = fileExtension
        self.parts = parts
    }
}

/// One attachment passed to the target as a separate part (multipart body or file next to the body):
/// file name as the citizen uploaded it, media type, and the decoded bytes.
package typealias MappedPart = MappingAttachment

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
