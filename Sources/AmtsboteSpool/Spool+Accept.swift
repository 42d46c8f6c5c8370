import Foundation

extension Spool {
    /// Stores a submission durably and returns its receipt once its record has been fdatasynced.
    ///
    /// Concurrent callers share one flush (group commit); a lone caller is flushed at once, on
    /// its own thread (blocking it for one fdatasync, as any file write would).
    /// - Throws: `SpoolError` `.messageTooLarge`, `.invalidArgument` (no or duplicate targets,
    ///   over-long fields), `.duplicateKey` (the client's idempotency key is stored or being
    ///   stored: look it up again), `.diskFull`/`.writeFailed` (nothing was stored), `.closed`.
    package func accept(_ message: NewMessage) async throws -> Receipt {
        try validate(message)
        guard let key = message.idempotencyKey else { return try await store(message) }
        // The same (client, key) must not be stored twice, even by two requests racing past
        // the caller's `lookupIdempotencyKey`: reserve it, then check what is stored.
        let pendingKey = PendingKey(client: Array(message.clientID.utf8), key: Array(key.utf8))
        try state.withLock { state in
            guard !state.pendingKeys.contains(pendingKey) else {
                throw SpoolError(.duplicateKey, "idempotency key \(key) is being stored by another request")
            }
            state.pendingKeys.insert(pendingKey)
        }
        defer { _ = state.withLock { $0.pendingKeys.remove(pendingKey) } }
        if let existing = try lookupIdempotencyKey(clientID: message.clientID, key: key) {
            throw SpoolError(.duplicateKey, "idempotency key \(key) already used by message \(existing.id)", existingID: existing.id)
        }
        return try await store(message)
    }

    /// Encodes, writes and indexes a validated message.
    private func store(_ message: NewMessage) async throws -> Receipt {
        let now = Date()
        let id = ids.next(now: now)
        let receivedAt = Milliseconds.from(now)
        let bytes = MessageRecord.encode(message, id: id, receivedAtMilliseconds: receivedAt)
        let pending = PendingMessage(
            id: id,
            receivedAt: receivedAt,
            clientID: message.clientID,
            targets: message.targets,
            keyHash: message.idempotencyKey.map { KeyHash.of(client: message.clientID, key: $0) } ?? 0
        )
        if commits.tryLead() {
            // Nobody else is writing: flush on this thread, without waking a writer lane.
            let failure = process([CommitQueue.Entry(work: .record(bytes), message: pending, audit: nil, completion: nil)])
            commits.endLead()
            if let failure { throw failure }
            return Receipt(id: id, receivedAt: Milliseconds.date(receivedAt), targets: message.targets)
        }
        // Unsafe (not checked) continuation, resumed by the entry itself (`answer`): a writer
        // lane answers every entry exactly once, and the checked variant's extra allocation showed
        // on this path at concurrency 128.
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            do {
                try commits.enqueue(CommitQueue.Entry(work: .record(bytes), message: pending, audit: nil, caller: continuation))
            } catch {
                continuation.resume(throwing: error)
            }
        }
        return Receipt(id: id, receivedAt: Milliseconds.date(receivedAt), targets: message.targets)
    }

    private func validate(_ message: NewMessage) throws {
        if message.contentBytes > configuration.maxMessageBytes {
            throw SpoolError(
                .messageTooLarge,
                "message of \(message.contentBytes) bytes exceeds the limit of \(configuration.maxMessageBytes) bytes"
            )
        }
        guard !message.targets.isEmpty else { throw SpoolError(.invalidArgument, "a message needs at least one target") }
        guard message.targets.count <= 1000 else { throw SpoolError(.invalidArgument, "too many targets") }
        // Usually one or two targets: compare pairwise (no allocation on the accept path);
        // the set (empty until first used) only for long lists.
        var seen = Set<[UInt8]>()
        for (position, target) in message.targets.enumerated() {
            try Self.validateName(target, what: "target")
            let repeated = message.targets.count <= 16
                ? message.targets[..<position].contains { $0.utf8.elementsEqual(target.utf8) }
                : !seen.insert(Array(target.utf8)).inserted
            if repeated { throw SpoolError(.invalidArgument, "target \(target) is listed twice") }
        }
        try Self.validateName(message.clientID, what: "client id")
        for (field, value) in [("content type", message.contentType), ("idempotency key", message.idempotencyKey),
                               ("form id", message.formID), ("content digest", message.contentDigest)] {
            if let value, value.utf8.count > 4096 { throw SpoolError(.invalidArgument, "\(field) longer than 4096 bytes") }
        }
        guard message.attachments.count <= 1000 else { throw SpoolError(.invalidArgument, "too many attachments") }
        for attachment in message.attachments {
            for value in [attachment.name, attachment.filename ?? "", attachment.contentType] where value.utf8.count > 4096 {
                throw SpoolError(.invalidArgument, "attachment field longer than 4096 bytes")
            }
        }
    }

    /// Target and client names go into audit lines and CLI output: printable, no spaces, short.
    static func validateName(_ name: String, what: String) throws {
        guard !name.isEmpty, name.utf8.count <= 200 else {
            throw SpoolError(.invalidArgument, "\(what) must be 1 to 200 bytes")
        }
        // Names are almost always ASCII: check bytes, and look at Unicode categories only otherwise.
        var ascii = true
        for byte in name.utf8 {
            if byte <= 0x20 || byte == 0x7F { throw SpoolError(.invalidArgument, "\(what) must not contain spaces or control characters") }
            if byte >= 0x80 { ascii = false }
        }
        if !ascii, name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw SpoolError(.invalidArgument, "\(what) must not contain spaces or control characters")
        }
    }
}
