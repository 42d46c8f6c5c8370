import Foundation

extension Spool {
    /// Starts the one thread that writes and flushes the log.
    func startWriter() {
        let thread = Thread { [self] in runWriter() }
        thread.name = "amtsbote-spool-writer"
        thread.start()
    }

    /// The writer loop: take everything pending, append it, fdatasync once, and hand the durable
    /// batch to the completion queue, which indexes it and answers its callers. While those
    /// callers are answered (and come back with their next records), the writer already writes
    /// and flushes the next batch: the flush no longer waits for the answering, and a closed
    /// loop of callers splits into two batches that alternate. Ends when the queue is closed
    /// and drained.
    private func runWriter() {
        var expected = 1
        var patience = Duration.zero
        let clock = ContinuousClock()
        while let batch = commits.takeBatch(expected: expected, patience: patience) {
            let start = clock.now
            let persisted = persist(batch)
            commits.finishBatch(count: batch.count)
            if case .success(let durable) = persisted {
                completions.async { [self] in
                    complete(durable)
                    commits.endCompletion()
                }
            } else {
                commits.endCompletion()
            }
            // Wait for the next batch to fill for at most half a flush, never over 2 ms.
            expected = batch.count
            patience = min((clock.now - start) / 2, .milliseconds(2))
        }
        completions.sync {}
        writer.close()
        try? audit.sync()
        lock.release()
        let waiters = writerExit.withLock { exit in
            exit.done = true
            defer { exit.waiters.removeAll() }
            return exit.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// A batch whose records are durable, to be indexed and answered.
    struct DurableBatch: Sendable {
        var entries: [CommitQueue.Entry]
        /// Where each entry's record went (nil for entries without one, such as a roll).
        var locations: [RecordLocation?]
        var recordCount: Int
        /// The active segment and its size right after this batch.
        var activeSegment: UInt32
        var activeSize: Int
    }

    /// Writes one batch, indexes it and answers its callers, on the calling thread (a lone
    /// caller's flush). Returns the batch's error, if it failed.
    @discardableResult
    func process(_ batch: [CommitQueue.Entry]) -> SpoolError? {
        switch persist(batch) {
        case .success(let durable):
            complete(durable)
            return nil
        case .failure(let failure):
            return failure
        }
    }

    /// Appends a batch's records with one fdatasync (and seals the segment if asked). On
    /// failure, answers every caller of the batch with the error and returns it.
    func persist(_ batch: [CommitQueue.Entry]) -> Result<DurableBatch, SpoolError> {
        var records: [[UInt8]] = []
        var recordEntries: [Int] = []
        var wantsRoll = false
        records.reserveCapacity(batch.count)
        for (position, entry) in batch.enumerated() {
            switch entry.work {
            case .record(let bytes):
                records.append(bytes)
                recordEntries.append(position)
            case .roll:
                wantsRoll = true
            }
        }

        var locations: [RecordLocation] = []
        var failure: SpoolError?
        if !records.isEmpty {
            do {
                locations = try writer.append(records)
            } catch let error as SpoolError {
                failure = error
            } catch {
                failure = SpoolError(.writeFailed, "append failed: \(error)")
            }
        }
        if failure == nil && wantsRoll && writer.size > 0 {
            do {
                try writer.roll()
            } catch let error as SpoolError {
                failure = error
            } catch {
                failure = SpoolError(.writeFailed, "roll failed: \(error)")
            }
        }

        if let failure {
            events(
                SpoolEvent(
                    .error,
                    "Spool write failed; batch not acknowledged",
                    ["amtsbote.spool.error": failure.shortDescription, "amtsbote.spool.records": String(records.count)]
                )
            )
            // Messages of a failed batch were never indexed; state records stay applied in
            // memory (losing one only repeats a delivery, which the idempotency key absorbs).
            for entry in batch { entry.completion?(.failure(failure)) }
            return .failure(failure)
        }

        var locationOf = [RecordLocation?](repeating: nil, count: batch.count)
        for (position, location) in zip(recordEntries, locations) { locationOf[position] = location }
        return .success(
            DurableBatch(
                entries: batch,
                locations: locationOf,
                recordCount: records.count,
                activeSegment: writer.number,
                activeSize: writer.size
            )
        )
    }

    /// Indexes a durable batch's messages, publishes the changes, writes audit lines and answers
    /// the callers. Batches are completed in the order they were written.
    ///
    /// Callers are answered a chunk at a time, each right after its messages are indexed: the
    /// first ones are back with their next records while the rest of the batch is indexed,
    /// instead of everyone waiting for the whole batch (at concurrency 128 indexing a batch took
    /// about as long as its callers need to produce the next one).
    func complete(_ batch: DurableBatch) {
        state.withLock { state in
            // Records are in log order: the last one per segment ends it. A lone caller's
            // batch may be completed before an earlier one still queued: sizes only grow.
            for location in batch.locations {
                guard let location else { continue }
                let end = Int(location.offset) + Int(location.length)
                state.segmentSizes[location.segment] = max(state.segmentSizes[location.segment] ?? 0, end)
            }
            if batch.activeSegment >= state.activeSegment {
                state.segmentSizes[batch.activeSegment] = max(state.segmentSizes[batch.activeSegment] ?? 0, batch.activeSize)
                state.activeSegment = batch.activeSegment
            }
            if batch.recordCount > 0 {
                state.flushes += 1
                state.recordsWritten += batch.recordCount
            }
        }
        audit.append(batch.entries.compactMap(\.audit))
        var chunkStart = 0
        while chunkStart < batch.entries.count {
            let chunkEnd = min(chunkStart + Self.completionChunk, batch.entries.count)
            indexMessages(of: batch, in: chunkStart..<chunkEnd)
            for position in chunkStart..<chunkEnd {
                batch.entries[position].completion?(.success(batch.locations[position]))
            }
            chunkStart = chunkEnd
        }
    }

    /// Entries indexed (under one lock hold) before their callers are answered.
    private static let completionChunk = 16

    /// Inserts the messages among `batch.entries[positions]` into the index and publishes them.
    private func indexMessages(of batch: DurableBatch, in positions: Range<Int>) {
        let listening = hub.hasSubscribers
        let published: [JobChange] = state.withLock { state in
            var changes: [SpoolIndex.Change] = []
            var targets: [UInt32] = []
            for position in positions {
                guard let message = batch.entries[position].message, let location = batch.locations[position] else { continue }
                let client = state.index.client(message.clientID)
                targets.removeAll(keepingCapacity: true)
                for target in message.targets { targets.append(state.index.target(target)) }
                state.index.insert(
                    id: message.id,
                    location: location,
                    receivedAt: message.receivedAt,
                    client: client,
                    targets: targets,
                    keyHash: message.keyHash,
                    collecting: listening,
                    into: &changes
                )
            }
            return listening ? publish(changes, index: state.index) : []
        }
        hub.publish(published)
    }

    /// Applies state records to the index and queues them for the next group commit under one
    /// lock (so the log order is the memory order), then waits until they are durable.
    ///
    /// - Parameter plan: decides, under the lock, which records to write and what to return.
    func commitState<Value: Sendable>(
        _ plan: (inout SpoolIndex, Int64) throws -> (records: [(StateRecord, audit: String?)], value: Value)
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            do {
                let now = Milliseconds.from(Date())
                let listening = hub.hasSubscribers
                let (value, changes, queued): (Value, [JobChange], Bool) = try state.withLock { state in
                    guard !state.isClosed else { throw SpoolError(.closed, "the spool is closed") }
                    let planned = try plan(&state.index, now)
                    guard !planned.records.isEmpty else { return (planned.value, [], false) }
                    var changes: [SpoolIndex.Change] = []
                    var entries: [CommitQueue.Entry] = []
                    entries.reserveCapacity(planned.records.count)
                    for (record, audit) in planned.records {
                        if let change = state.index.apply(record) { changes.append(change) }
                        entries.append(CommitQueue.Entry(work: .record(record.encode()), message: nil, audit: audit, completion: nil))
                    }
                    let value = planned.value
                    entries[entries.count - 1].completion = { result in
                        switch result {
                        case .success: continuation.resume(returning: value)
                        case .failure(let error): continuation.resume(throwing: error)
                        }
                    }
                    try commits.enqueue(entries)
                    return (value, listening ? publish(changes, index: state.index) : [], true)
                }
                hub.publish(changes)
                if !queued { continuation.resume(returning: value) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
