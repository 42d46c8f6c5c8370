import Foundation

/// What happened when a sender tried to hand one job to its target.
package enum SendResult: Sendable, Equatable {
    /// The target took it (2xx, or the file is in place).
    case delivered(status: Int?)
    /// Try again later: network error, timeout, 408, 425, 429, 5xx, file system hiccup.
    /// `retryAfter` is the target's `Retry-After` in seconds from now, if it sent one.
    case transient(status: Int?, reason: String, retryAfter: TimeInterval?)
    /// The target refused this job for good (other 4xx): retrying cannot help, the job is `dead`.
    case permanent(status: Int?, reason: String)

    /// The HTTP status, if the target answered.
    package var status: Int? {
        switch self {
        case .delivered(let status), .transient(let status, _, _), .permanent(let status, _): status
        }
    }

    /// Bounded label for metrics: delivered / transient / permanent.
    package var outcomeLabel: String {
        switch self {
        case .delivered: "delivered"
        case .transient: "transient"
        case .permanent: "permanent"
        }
    }
}
