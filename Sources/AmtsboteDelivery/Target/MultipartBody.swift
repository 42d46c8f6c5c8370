import Foundation

/// Builds a `multipart/form-data` body (RFC 7578): the mapped document as part `document`, then
/// each attachment as its own part, so the department system gets files as files, not base64 in XML.
package struct MultipartBody: Sendable {
    package let boundary: String
    package let data: Data

    /// `multipart/form-data; boundary=…` for the Content-Type header.
    package var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Assembles the body. The boundary is random and re-drawn in the (astronomically unlikely) case
    /// it occurs in any part.
    package init(document: OutgoingDocument, documentFileName: String) {
        var boundary = Self.randomBoundary()
        while Self.occurs(boundary, in: document) { boundary = Self.randomBoundary() }
        var data = Data()
        data.reserveCapacity(document.body.count + document.parts.reduce(0) { $0 + $1.data.count } + 512)
        Self.append(
            part: .init(name: "document", filename: documentFileName, contentType: document.contentType, data: document.body),
            boundary: boundary,
            to: &data
        )
        for part in document.parts { Self.append(part: part, boundary: boundary, to: &data) }
        data.append(contentsOf: Array("--\(boundary)--\r\n".utf8))
        self.boundary = boundary
        self.data = data
    }

    private static func append(part: OutgoingDocument.Part, boundary: String, to data: inout Data) {
        var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(quoted(part.name))\""
        if let filename = part.filename { head += "; filename=\"\(quoted(filename))\"" }
        head += "\r\nContent-Type: \(part.contentType.filter { $0 != "\r" && $0 != "\n" })\r\n\r\n"
        data.append(contentsOf: Array(head.utf8))
        data.append(part.data)
        data.append(contentsOf: [13, 10])
    }

    /// Escapes a value for a quoted-string in Content-Disposition (no line breaks, `"` and `\` escaped).
    private static func quoted(_ value: String) -> String {
        var result = ""
        for character in value where character != "\r" && character != "\n" {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    private static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return "amtsbote-" + String(high, radix: 16) + String(low, radix: 16)
    }

    private static func occurs(_ boundary: String, in document: OutgoingDocument) -> Bool {
        let needle = Data(boundary.utf8)
        return document.body.range(of: needle) != nil || document.parts.contains { $0.data.range(of: needle) != nil }
    }
}
