import AmtsboteSpool
import Foundation

/// Turns a request's Content-Type and body into a `DecodedSubmission`.
package struct SubmissionDecoder: Sendable {
    private let limits: LimitsConfiguration

    package init(limits: LimitsConfiguration) {
        self.limits = limits
    }

    /// What the request's Content-Type announces.
    package enum BodyKind: Sendable, Equatable {
        /// An XML or JSON document as the whole body.
        case document(contentType: String)
        /// multipart/form-data with this boundary.
        case multipart(boundary: String)
    }

    /// Classifies a Content-Type header.
    /// - Throws: `Problem` 415 for anything but XML, JSON or multipart/form-data; 400 for multipart without boundary.
    package func bodyKind(contentType header: String?) throws -> BodyKind {
        guard let header, let value = HeaderValue(parsing: header) else {
            throw Problem(.unsupportedMediaType, detail: "send Content-Type application/xml, application/json or multipart/form-data")
        }
        if value.value == "multipart/form-data" {
            guard let boundary = value.parameters["boundary"], !boundary.isEmpty else {
                throw Problem(.malformedMultipart, detail: "multipart/form-data needs a boundary parameter")
            }
            return .multipart(boundary: boundary)
        }
        guard Self.isDocumentType(value.value) else {
            throw Problem(.unsupportedMediaType, detail: "send Content-Type application/xml, application/json or multipart/form-data")
        }
        return .document(contentType: header)
    }

    /// Splits the body according to its kind.
    /// - Throws: `Problem` 400 (broken multipart, missing `submission` part), 415 (submission part not XML/JSON).
    package func decode(_ kind: BodyKind, body: Data) throws -> DecodedSubmission {
        switch kind {
        case .document(let contentType):
            return DecodedSubmission(contentType: contentType, payload: body, attachments: [])
        case .multipart(let boundary):
            return try self.decodeMultipart(boundary: boundary, body: body)
        }
    }

    private func decodeMultipart(boundary: String, body: Data) throws -> DecodedSubmission {
        let parts: [MultipartPart]
        do {
            let parser = try MultipartParser(boundary: boundary, maxParts: self.limits.maxAttachments + 1, maxHeaderBytes: self.limits.maxPartHeaderBytes)
            parts = try parser.parse(body)
        } catch let error as MultipartError {
            throw Problem(.malformedMultipart, detail: error.description)
        }
        let submissions = parts.filter { $0.name == "submission" }
        guard submissions.count == 1, let submission = submissions.first else {
            throw Problem(
                .malformedMultipart,
                detail: submissions.isEmpty ? "the multipart body has no part named 'submission'" : "the multipart body has more than one 'submission' part"
            )
        }
        guard let contentType = submission.contentType, let value = HeaderValue(parsing: contentType), Self.isDocumentType(value.value) else {
            throw Problem(.unsupportedMediaType, detail: "the 'submission' part needs Content-Type application/xml or application/json")
        }
        let attachments = parts.filter { $0.name != "submission" }.map { part in
            Attachment(name: part.name, filename: part.filename, contentType: part.contentType ?? "application/octet-stream", data: part.data)
        }
        return DecodedSubmission(contentType: contentType, payload: submission.data, attachments: attachments)
    }

    /// XML (`application/xml`, `text/xml`, `application/*+xml`) or JSON (`application/json`, `*/*+json`).
    package static func isDocumentType(_ mediaType: String) -> Bool {
        mediaType == "application/xml" || mediaType == "text/xml" || mediaType == "application/json"
            || (mediaType.hasPrefix("application/") && (mediaType.hasSuffix("+xml") || mediaType.hasSuffix("+json")))
    }
}
