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
