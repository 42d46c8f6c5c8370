import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem document, thrown by handlers and rendered as `application/problem+json`.
///
/// `detail` is written for the portal developer and never quotes form contents (these are
/// citizens' personal data) beyond what the mapping module's parse error already limits.
package struct Problem: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    package let type: ProblemType
    /// Occurrence-specific explanation.
    package let detail: String?
    /// 1-based line of a document parse error.
    package let line: Int?
    /// 1-based column of a document parse error.
    package let column: Int?
    /// Seconds for the `Retry-After` header (503).
    package let retryAfterSeconds: Int?
    /// Extra members (e.g. `maxBytes`), all plain strings or numbers.
    package let extensions: [String: JSONValue]

    package init(
        _ type: ProblemType,
        detail: String? = nil,
        line: Int? = nil,
        column: Int? = nil,
        retryAfterSeconds: Int? = nil,
        extensions: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.detail = detail
        self.line = line
        self.column = column
        self.retryAfterSeconds = retryAfterSeconds
        self.extensions = extensions
    }

    package var status: HTTPResponse.Status { self.type.status }

    package var description: String { "\(self.type.slug): \(self.detail ?? self.type.title)" }

    /// The JSON document.
    package var jsonBody: [UInt8] {
        var object: [String: JSONValue] = self.extensions
        object["type"] = .string(self.type.uri)
        object["title"] = .string(self.type.title)
        object["status"] = .int(self.type.status.code)
        if let detail { object["detail"] = .string(detail) }
        if let line { object["line"] = .int(line) }
        if let column { object["column"] = .int(column) }
        return JSONValue.object(object).jsonBytes
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        self.response()
    }

    /// The response without needing a request (middleware and tests).
    package func response() -> Response {
        let body = self.jsonBody
        var headers: HTTPFields = [
            .contentType: "application/problem+json",
            .contentLength: String(body.count),
        ]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if self.type == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"amtsbote\"" }
        return Response(status: self.type.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
