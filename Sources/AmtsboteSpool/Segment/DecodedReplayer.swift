/// Applies decoded segments to an index, translating the decoder's name numbers into the
/// index's own (shared by start-up recovery and the read-only follower).
struct DecodedReplayer {
    private var targetNumbers: [UInt32] = []
    private var clientNumbers: [UInt32] = []

    /// Applies `decoded` in log order; returns the job changes if asked (the follower's output).
    @discardableResult
    mutating func apply(_ decoded: SegmentDecoder.Decoded, to index: inout SpoolIndex, collectingChanges: Bool) -> [SpoolIndex.Change] {
        for name in decoded.newTargets { targetNumbers.append(index.target(name)) }
        for name in decoded.newClients { clientNumbers.append(index.client(name)) }
        var changes: [SpoolIndex.Change] = []
        for record in decoded.records {
            switch record {
            case .message(let message):
                let targets = decoded.targets[Int(message.firstTarget)..<Int(message.firstTarget) + Int(message.targetCount)]
                index.insert(
                    id: message.id,
                    location: message.location,
                    receivedAt: message.receivedAt,
                    client: clientNumbers[Int(message.client)],
                    targets: targets.map { targetNumbers[Int($0)] },
                    keyHash: message.keyHash,
                    collecting: collectingChanges,
                    into: &changes
                )
            case .state(let state):
                if let change = index.apply(state), collectingChanges { changes.append(change) }
            }
        }
        return changes
    }
}
