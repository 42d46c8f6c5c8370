/// The kind byte of a record. The message record holds the submission; all others are small
/// state records about one job (message id + target).
package enum RecordKind: UInt8, Sendable, CaseIterable {
    /// Id, envelope, original payload and attachments. Written once, never rewritten.
    case message = 1
    /// The job is queued again, due at the record's due time (operator `retry`).
    case routed = 2
    /// One delivery attempt with its outcome (the state record that follows says what it led to).
    case attempt = 3
    case delivered = 4
    /// Due again at the record's due time.
    case deferred = 5
    case held = 6
    /// Back from `held` to the state in the record (queued or deferred), due time unchanged.
    case released = 7
    case dead = 8
    /// Removed by an operator.
    case deleted = 9
}
