/// What the index keeps per message: where its record is and which jobs it has.
/// About 56 bytes; the envelope and payload stay on disk.
struct MessageEntry: Sendable {
    var id: MessageID
    var location: RecordLocation
    var receivedAt: Int64
    var client: UInt32
    /// The message's jobs are `jobs[firstJob ..< firstJob + jobCount]`.
    var firstJob: UInt32
    var jobCount: UInt16
    /// Hash of (client, idempotency key), 0 if the message has no key.
    var keyHash: UInt64
}
