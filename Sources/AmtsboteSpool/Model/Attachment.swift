import Foundation

/// A file that came with a submission (e.g. a scanned certificate), kept byte for byte.
package struct Attachment: Sendable, Hashable {
    /// The form field or part name the portal used.
    package var name: String
    /// The file name the citizen uploaded, if the portal sent one.
    package var filename: String?
    package var contentType: String
    package var data: Data

    package init(name: String, filename: String? = nil, contentType: String, data: Data) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}
