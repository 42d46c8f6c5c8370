/// Where the delivery of one message to one target stands.
package enum JobState: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Waiting for a worker; due now or at `nextAttemptAt`.
    case queued = 1
    /// A worker has claimed it; goes back to `queued` if the process dies.
    case delivering = 2
    /// Failed transiently; waits for `nextAttemptAt`.
    case deferred = 3
    /// Stopped by an operator until `release`.
    case held = 4
    /// The target said yes. Final.
    case delivered = 5
    /// Permanent failure or lifetime over; stays until an operator retries or deletes it.
    case dead = 6

    package var description: String {
        switch self {
        case .queued: "queued"
        case .delivering: "delivering"
        case .deferred: "deferred"
        case .held: "held"
        case .delivered: "delivered"
        case .dead: "dead"
        }
    }

    /// Parses the names printed by `description` (CLI `--state`, JSON).
    package init?(name: String) {
        guard let state = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = state
    }

    /// States a worker may claim from.
    package var isReady: Bool { self == .queued || self == .deferred }
}
