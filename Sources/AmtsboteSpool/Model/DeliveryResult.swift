import Foundation

/// What a worker decided after an attempt.
package enum DeliveryResult: Sendable, Hashable {
    case delivered
    /// Try again at the given time.
    case deferred(until: Date)
    /// Give up; operators can `retry` it later.
    case dead
}
