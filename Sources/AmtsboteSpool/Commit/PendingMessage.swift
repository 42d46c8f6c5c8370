/// What the writer adds to the index once a message record is durable.
struct PendingMessage: Sendable {
    var id: MessageID
    var receivedAt: Int64
    var clientID: String
    var targets: [String]
    var keyHash: UInt64
}
