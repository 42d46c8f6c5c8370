import Foundation

/// Sorts an HTTP answer into delivered / transient / permanent.
///
/// 2xx is delivered. 408 (timeout), 425 (too early), 429 (too many requests) and every 5xx are
/// transient: the target may take the job later. Every other status (other 4xx, and 1xx/3xx that a
/// client without redirects cannot act on) is permanent. The reason is the status line's standard
/// phrase, never the response body, which may echo citizens' data.
package enum ResponseClassification {
    /// Statuses below 500 that still mean "try again later".
    package static let transientClientStatuses: Set<Int> = [408, 425, 429]

    /// Classifies a response.
    ///
    /// - Parameters:
    ///   - status: the HTTP status code.
    ///   - retryAfter: the raw `Retry-After` header value, if any.
    ///   - now: the current time, to turn an HTTP-date into a delay.
    package static func classify(status: Int, retryAfter: String?, now: Date) -> SendResult {
        if (200..<300).contains(status) { return .delivered(status: status) }
        let reason = "HTTP \(status) \(reasonPhrase(status))"
        if status >= 500 || transientClientStatuses.contains(status) {
            return .transient(status: status, reason: reason, retryAfter: retryAfter.flatMap { RetryAfter.parse($0, now: now) })
        }
        if (300..<400).contains(status) {
            return .permanent(status: status, reason: "\(reason) (redirects are not followed; fix the target url)")
        }
        return .permanent(status: status, reason: reason)
    }

    /// The standard reason phrase (RFC 9110) for the statuses targets commonly send.
    package static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 425: "Too Early"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Unexpected Status"
        }
    }
}
