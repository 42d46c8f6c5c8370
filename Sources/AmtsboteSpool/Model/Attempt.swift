import Foundation

/// One delivery attempt of a job, kept in the job's history for operators.
package struct Attempt: Sendable, Hashable {
    /// How an attempt ended. A struct around raw values so that outcomes can be added later.
    package struct Outcome: Sendable, Hashable, CustomStringConvertible {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        package static let delivered = Outcome(rawValue: 1)
        /// Network error, timeout, 408/425/429/5xx: will be retried.
        package static let transientFailure = Outcome(rawValue: 2)
        /// Other 4xx: the target refused it.
        package static let permanentFailure = Outcome(rawValue: 3)
        /// The mapping could not transform the message.
        package static let mappingError = Outcome(rawValue: 4)
        /// The job's lifetime ran out.
        package static let expired = Outcome(rawValue: 5)

        package var description: String {
            switch rawValue {
            case 1: "delivered"
            case 2: "transient-failure"
            case 3: "permanent-failure"
            case 4: "mapping-error"
            case 5: "expired"
            default: "outcome-\(rawValue)"
            }
        }
    }

    package var at: Date
    package var outcome: Outcome
    /// The HTTP status the target answered, if any.
    package var status: Int?
    /// Short, content-free reason (never payload bytes); cut to 500 bytes when stored.
    package var error: String?
    package var duration: Duration
    /// When the next attempt is due, if one is planned.
    package var nextAttemptAt: Date?

    package init(
        at: Date,
        outcome: Outcome,
        status: Int? = nil,
        error: String? = nil,
        duration: Duration = .zero,
        nextAttemptAt: Date? = nil
    ) {
        self.at = at
        self.outcome = outcome
        self.status = status
        self.error = error
        self.duration = duration
        self.nextAttemptAt = nextAttemptAt
    }
}
