import Foundation

/// Proof that a message is durable: returned by `Spool.accept` only after fdatasync.
package struct Receipt: Sendable, Hashable {
    package var id: MessageID
    package var receivedAt: Date
    package var targets: [String]

    package init(id: MessageID, receivedAt: Date, targets: [String]) {
        self.id = id
        self.receivedAt = receivedAt
        self.targets = targets
    }
}
