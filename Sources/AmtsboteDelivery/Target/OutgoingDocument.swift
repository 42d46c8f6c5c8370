import Foundation

/// What a sender hands to a target: the mapped document plus the attachments the mapping passes
/// through. Built from the mapping engine's `MappedDocument` at delivery time.
package struct OutgoingDocument: Sendable, Equatable {
    /// One attachment passed through as its own part (multipart part, or sibling file).
    package struct Part: Sendable, Equatable {
        /// Form field name of the part (multipart `name`).
        package var name: String
        /// Original file name, if the portal sent one.
        package var filename: String?
        package var contentType: String
        package var data: Data

        package init(name: String, filename: String?, contentType: String, data: Data) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    /// The mapped document's bytes.
    package var body: Data
    /// Its media type, e.g. `application/xml`.
    package var contentType: String
    /// Its file extension without dot, e.g. `xml` (for file targets' `{ext}`).
    package var fileExtension: String
    /// Attachments sent alongside; empty = the body alone.
    package var parts: [Part]

    package init(body: Data, contentType: String, fileExtension: String, parts: [Part] = []) {
        self.body = body
        self.contentType = contentType
        self.fileExtension = fileExtension
        self.parts = parts
    }
}
