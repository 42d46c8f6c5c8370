import Foundation

extension Spool {
    /// The envelope and jobs of a message: jobs from the index, envelope from the first bytes of
    /// its record (one small read; the payload is not read). nil if the id is unknown.
    package func message(_ id: MessageID) throws -> MessageSnapshot? {
        guard let (file, location, jobs) = try indexed(id) else { return nil }
        return Self.snapshot(id, envelope: try readEnvelope(file, location), jobs: jobs)
    }

    /// A message's snapshot and its payload from one read of its record (CRC-checked): what a
    /// delivery needs, without reading the record's head a second time.
    /// - Returns: nil if the message is not in the spool (deleted meanwhile).
    /// - Throws: `.corrupt`, `.readFailed`.
    package func messageWithPayload(_ id: MessageID) throws -> (snapshot: MessageSnapshot, payload: MessagePayload)? {
        guard let (file, location, jobs) = try indexed(id) else { return nil }
        let bytes = try file.readRecord(location)
        return try bytes.withUnsafeBytes { record in
            (Self.snapshot(id, envelope: try MessageRecord.envelope(record), jobs: jobs), try MessageRecord.payload(record))
        }
    }

    /// Where a message's record is and its jobs, from the index (nil if unknown).
    private func indexed(_ id: MessageID) throws -> (SegmentFile, RecordLocation, [JobSnapshot])? {
        try state.withLock { state in
            guard let slot = state.index.slots[id] else { return nil }
            let location = state.index.messages[Int(slot)].location
            return (try state.file(location.segment), location, state.index.jobSnapshots(slot: slot))
        }
    }

    private static func snapshot(_ id: MessageID, envelope: MessageRecord.Envelope, jobs: [JobSnapshot]) -> MessageSnapshot {
        MessageSnapshot(
            id: id,
            clientID: envelope.clientID,
            contentType: envelope.contentType,
            receivedAt: Milliseconds.date(envelope.receivedAtMilliseconds),
            targets: envelope.targets,
            idempotencyKey: envelope.idempotencyKey,
            formID: envelope.formID,
            contentDigest: envelope.contentDigest,
            payloadBytes: envelope.payloadLength,
            attachments: envelope.attachments,
            jobs: jobs
        )
    }

    /// The original payload and attachments, read from disk and CRC-checked.
    /// - Throws: `.unknownID`, `.corrupt`, `.readFailed`.
    package func payload(_ id: MessageID) throws -> MessagePayload {
        let (file, location) = try locate(id)
        let bytes = try file.readRecord(location)
        return try bytes.withUnsafeBytes { try MessageRecord.payload($0) }
    }

    /// The message a client already sent with this idempotency key, and the content digest it
    /// was stored with, so the caller can answer "same key, same body → same receipt" or 409.
    /// Client and key are compared byte for byte (no Unicode normalisation).
    package func lookupIdempotencyKey(clientID: String, key: String) throws -> (id: MessageID, contentDigest: String?)? {
        let hash = KeyHash.of(client: clientID, key: key)
        let candidates: [(SegmentFile, RecordLocation)] = try state.withLock { state in
            try state.index.slots(forKeyHash: hash).compactMap { slot in
                let message = state.index.messages[Int(slot)]
                guard state.index.slots[message.id] == slot else { return nil }
                return (try state.file(message.location.segment), message.location)
            }
        }
        for (file, location) in candidates {
            let envelope = try readEnvelope(file, location)
            if envelope.clientID.utf8.elementsEqual(clientID.utf8), let stored = envelope.idempotencyKey,
                stored.utf8.elementsEqual(key.utf8)
            {
                return (envelope.id, envelope.contentDigest)
            }
        }
        return nil
    }

    /// Jobs by target and/or state (nil: any), oldest message first.
    package func jobs(target: String? = nil, state wanted: JobState? = nil) -> [JobSnapshot] {
        state.withLock { $0.index.jobSnapshots(target: target, state: wanted) }
    }

    /// Targets × states with counts and the age of the oldest message in each.
    package func summary(now: Date = Date()) -> QueueSummary {
        state.withLock { $0.index.summary(now: now) }
    }

    func locate(_ id: MessageID) throws -> (SegmentFile, RecordLocation) {
        try state.withLock { state in
            guard let slot = state.index.slots[id] else { throw SpoolError(.unknownID, "no message \(id) in the spool") }
            let location = state.index.messages[Int(slot)].location
            return (try state.file(location.segment), location)
        }
    }

    func readEnvelope(_ file: SegmentFile, _ location: RecordLocation) throws -> MessageRecord.Envelope {
        var prefix = try file.readPrefix(at: location.offset, count: min(Int(location.length), 4096))
        let needed = try prefix.withUnsafeBytes { buffer -> Int in
            guard let length = MessageRecord.metadataLength(buffer) else { throw SpoolError(.corrupt, "message record too short") }
            return MessageRecord.prefixBytes + length
        }
        if needed > prefix.count {
            guard needed <= Int(location.length) else { throw SpoolError(.corrupt, "message metadata longer than its record") }
            prefix = try file.readPrefix(at: location.offset, count: needed)
        }
        return try prefix.withUnsafeBytes { try MessageRecord.envelope($0) }
    }
}
