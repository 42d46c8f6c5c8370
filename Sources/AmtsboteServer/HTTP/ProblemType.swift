import HTTPTypes

/// The stable `type` URIs of Amtsbote's problem documents (RFC 9457).
///
/// Portal developers switch on these URIs, so they never change once shipped; new kinds of
/// problems get new URIs. Each is listed with its meaning in `docs/openapi.yaml`.
package struct ProblemType: Sendable, Hashable, CustomStringConvertible {
    /// Short, bounded name (also the `reason` label of the rejection metric).
    package let slug: String
    /// HTTP status answered with this problem.
    package let status: HTTPResponse.Status
    /// Fixed human-readable summary (RFC 9457 `title`); details go into `detail`.
    package let title: String

    private init(_ slug: String, _ status: HTTPResponse.Status, _ title: String) {
        self.slug = slug
        self.status = status
        self.title = title
    }

    /// `urn:amtsbote:problem:<slug>`: stable, and not pretending to be a web page.
    package var uri: String { "urn:amtsbote:problem:\(self.slug)" }
    package var description: String { self.uri }

    /// 400: the XML or JSON document is not well-formed; `line` and `column` say where.
    package static let malformedDocument = ProblemType("malformed-document", .badRequest, "Malformed submission document")
    /// 400: the multipart/form-data body is broken or lacks the `submission` part.
    package static let malformedMultipart = ProblemType("malformed-multipart", .badRequest, "Malformed multipart body")
    /// 400: a header or parameter is invalid (e.g. an over-long Idempotency-Key).
    package static let invalidRequest = ProblemType("invalid-request", .badRequest, "Invalid request")
    /// 401: no bearer token, or one that belongs to no configured client.
    package static let unauthorized = ProblemType("unauthorized", .unauthorized, "Authentication required")
    /// 403: the client is known but lacks the scope for this operation.
    package static let forbidden = ProblemType("forbidden", .forbidden, "Operation not permitted for this client")
    /// 404: no such resource (also: a submission of another client).
    package static let notFound = ProblemType("not-found", .notFound, "Not found")
    /// 409: the Idempotency-Key was already used by this client with a different body.
    package static let idempotencyConflict = ProblemType("idempotency-key-reused", .conflict, "Idempotency-Key reused with a different body")
    /// 413: the body exceeds the configured size limit.
    package static let payloadTooLarge = ProblemType("payload-too-large", .contentTooLarge, "Request body too large")
    /// 415: the Content-Type is not XML, JSON or multipart/form-data.
    package static let unsupportedMediaType = ProblemType("unsupported-media-type", .unsupportedMediaType, "Unsupported media type")
    /// 422: the document is well-formed but no mapping's `match` rules route it to any target.
    package static let noMatchingTarget = ProblemType("no-matching-target", .unprocessableContent, "No target accepts this submission")
    /// 422: a mapping's `match` rule uses a regular expression that gave up on this document (its
    /// time limit, or the regex engine's backtracking memory: a pattern with catastrophic
    /// backtracking), so the submission cannot be routed reliably; `detail` names target and pattern.
    /// Resending the same document fails the same way until the admin fixes the mapping.
    package static let matchRegexLimit = ProblemType("match-regex-limit", .unprocessableContent, "A mapping's match rule could not be evaluated on this submission")
    /// 503: free disk space is below the configured floor; retry after `Retry-After`.
    package static let insufficientStorage = ProblemType("disk-space-low", .serviceUnavailable, "Temporarily not accepting submissions")
    /// 503: the server is shutting down; retry after `Retry-After` (another instance or the restarted one).
    package static let shuttingDown = ProblemType("shutting-down", .serviceUnavailable, "Server is shutting down")
    /// 503: the spool cannot take the message right now (write failure).
    package static let spoolUnavailable = ProblemType("spool-unavailable", .serviceUnavailable, "Spool temporarily unavailable")
    /// 500: an unexpected failure; nothing was accepted.
    package static let internalError = ProblemType("internal-error", .internalServerError, "Internal server error")
}
