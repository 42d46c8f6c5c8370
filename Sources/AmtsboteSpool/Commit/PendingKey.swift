/// A (client, idempotency key) pair as bytes (no Unicode normalisation), for `SpoolState.pendingKeys`.
struct PendingKey: Hashable, Sendable {
    var client: [UInt8]
    var key: [UInt8]
}
