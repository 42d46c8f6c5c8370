/// Hands one job to one target. Implementations never throw: every failure is classified into a
/// `SendResult` so the worker can decide between retry and dead letter.
package protocol TargetSender: Sendable {
    /// Sends the item once. Must return within the target's timeout (a hanging target costs one
    /// worker of its own target, never anything else).
    func send(_ item: DeliveryItem) async -> SendResult
}
