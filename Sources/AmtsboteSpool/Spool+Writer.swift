import Foundation

extension Spool {
    /// Writer threads ("lanes"): while one lane's batch is being flushed, another writes the
    /// next one and flushes it too (`FlushPipeline`). Bench spool c=128, interleaved 8-s runs
    /// (docs/benchmarks.md, fifth stop): one lane 122–163 k/s, two 150–165, three 155–174,
    /// four 123–168 (three rounds each); the final code against one lane, six pairs: 165–210
    /// (median 177) against 159–183 (median 170). The gain is largest when flushes are slow.
    static let writerLanes = 3

    /// Starts the threads that write and flush the log.
    func startWriter() {
        for lane in 1...Self.writerLanes {
            let thread = Thread { [self] in
                // Set on the thread itself (Foundation on Linux applies a name set before `start`
                // to no kernel thread), at most 15 bytes: so it shows in top -H, perf and /proc.
                Thread.current.name = "spool-writer-\(lane)"
                runLane()
            }
            thread.start()
        }
    }

    /// A writer lane's loop: under the write lock, take everything pending, write it, and while
    /// the batch is smaller than this lane's share of the callers (`FlushPipeline.target`) wait
    /// a little for more of them, writing what arrives as it arrives (buffered; into a
    /// direct-I/O spare it is staged and written at the end, see `SegmentWriter.write`); then,
    /// outside the lock, fdatasync once, and in the batches' write order index the durable
    /// batch and answer its callers. Ends when the queue is closed and drained; the last lane
    /// to end closes the log.
    ///
    /// The lane answers its batch itself rather than handing it to a completion queue: the
    /// hand-over cost a thread wake-up per batch and another runnable thread on two cores
    /// (measured with one writer thread; bench spool, 3 interleaved rounds of 10-s runs: c=128
    /// 184–213 k/s with the queue, 222–240 k/s without; c=16 59–60 k/s and 63–68 k/s).
    private func runLane() {
        var patience = Duration.zero
        let clock = ContinuousClock()
        while true {
            pipeline.lockWrites()
            guard let first = commits.takeBatch() else {
                pipeline.unlockWrites()
                break
            }
            cutBackAfterFailedFlush()
            var working = Duration.zero
            var started = clock.now
            var batch = BatchInProgress()
            stage(first, into: &batch)
            working += clock.now - started
            let expected = pipeline.target()
            if batch.entries.count < expected && patience > .zero {
                let deadline = CommitQueue.deadline(after: patience)
                while batch.failure == nil && !batch.wantsRoll && batch.entries.count < expected {
                    let more = commits.takeMore(count: min(expected - batch.entries.count, Self.writeChunk), until: deadline)
                    if more.isEmpty { break }
                    started = clock.now
                    stage(more, into: &batch)
                    working += clock.now - started
                }
            }
            started = clock.now
            let written = writeOut(batch)
            let ticket = pipeline.issue(entries: batch.entries.count)
            pipeline.unlockWrites()
            let flushed = flush(written)
            pipeline.flushed(entries: batch.entries.count)
            working += clock.now - started
            let poison = pipeline.awaitTurn(ticket)
            settle(flushed, poisonedBy: poison)
            // Only now may a lone caller lead a flush: batches are indexed in write order.
            commits.finishBatch(count: batch.entries.count)
            pipeline.complete(ticket)
            // Wait for the next batch to fill for at most half the writing, never over 2 ms.
            patience = min(working / 2, .milliseconds(2))
        }
        guard pipeline.laneStopped() else { return }
        // A flush failed and no write came after it to cut it back: do it before closing.
        cutBackAfterFailedFlush()
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

    /// Entries a lane waits for before its next write call while a batch fills.
    private static let writeChunk = 32

    /// A batch being written: its entries so far, where their records went, and the first error.
    struct BatchInProgress {
        var entries: [CommitQueue.Entry] = []
        /// Per entry: where its record went (nil for entries without one, such as a roll).
        var locations: [RecordLocation?] = []
        var recordCount = 0
        var wantsRoll = false
        var failure: SpoolError?
    }

    /// A batch handed to the file (and its segment sealed if asked), to be flushed.
    struct WrittenBatch {
        var batch: BatchInProgress
        /// The fdatasync still to do (nil: no records, or the write failed).
        var pending: SegmentWriter.PendingFlush?
        var rollFailure: SpoolError?
        /// The active segment and its size right after this batch.
        var activeSegment: UInt32
        var activeSize: Int
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

    /// Writes one batch, flushes it, indexes it and answers its callers, on the calling thread
    /// (a lone caller's flush: no lane has a batch meanwhile). Returns the batch's error, if it
    /// failed.
    @discardableResult
    func process(_ entries: [CommitQueue.Entry]) -> SpoolError? {
        cutBackAfterFailedFlush()
        var batch = BatchInProgress()
        stage(entries, into: &batch)
        let failure = settle(flush(writeOut(batch)), poisonedBy: nil)
        // A failed flush: nothing was written after it, so cut it off at once.
        cutBackAfterFailedFlush()
        return failure
    }

    /// Under the write lock (or leading): if a lane's flush failed, waits until every batch
    /// written after it has failed as well, then cuts the log back to where the failed one began.
    private func cutBackAfterFailedFlush() {
        guard let failure = pipeline.takeFailureOnceDrained() else { return }
        writer.cutBack(to: failure.start)
    }

    /// Writes the records of `entries` (not yet durable) and adds the entries to `batch`. After
    /// a failure, entries are only collected, to be answered with the error by `settle`.
    func stage(_ entries: [CommitQueue.Entry], into batch: inout BatchInProgress) {
        var records: [[UInt8]] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            switch entry.work {
            case .record(let bytes): records.append(bytes)
            case .roll: batch.wantsRoll = true
            }
        }
        var locations: [RecordLocation] = []
        if batch.failure == nil && !records.isEmpty {
            do {
                locations = try writer.write(records)
            } catch {
                batch.failure = Self.writeFailure(error, "append failed")
            }
        }
        var next = locations.makeIterator()
        for entry in entries {
            batch.entries.append(entry)
            if case .record = entry.work { batch.locations.append(next.next()) } else { batch.locations.append(nil) }
        }
        batch.recordCount += records.count
    }

    /// Hands a staged batch to the file and seals the segment if asked. The batch's flush
    /// (`flush`) runs on its own open of the segment, so it still reports a write-back error
    /// that the roll's flush met first. Needs the write lock.
    func writeOut(_ batch: BatchInProgress) -> WrittenBatch {
        var batch = batch
        var pending: SegmentWriter.PendingFlush?
        if batch.failure == nil && batch.recordCount > 0 {
            do { pending = try writer.writeOut() } catch { batch.failure = Self.writeFailure(error, "write failed") }
        }
        var rollFailure: SpoolError?
        if batch.failure == nil && batch.wantsRoll && writer.size > 0 {
            do { try writer.roll() } catch { rollFailure = Self.writeFailure(error, "roll failed") }
        }
        return WrittenBatch(batch: batch, pending: pending, rollFailure: rollFailure, activeSegment: writer.number, activeSize: writer.size)
    }

    /// A written batch and whether it is durable.
    struct FlushedBatch {
        var written: WrittenBatch
        var outcome: Result<Void, SpoolError>
    }

    /// The batch's one fdatasync; needs no lock.
    func flush(_ written: WrittenBatch) -> FlushedBatch {
        if let failure = written.batch.failure { return FlushedBatch(written: written, outcome: .failure(failure)) }
        guard let pending = written.pending else { return FlushedBatch(written: written, outcome: .success(())) }
        do {
            try writer.flush(pending)
            return FlushedBatch(written: written, outcome: .success(()))
        } catch {
            return FlushedBatch(written: written, outcome: .failure(Self.writeFailure(error, "flush failed")))
        }
    }

    /// In write order: indexes and answers a durable batch, or answers a failed one with its
    /// error. A failed flush (or one after it, `poison`) fails its batch; the first one marks
    /// the log to be cut back before the next write. Returns the batch's error, if it failed.
    @discardableResult
    func settle(_ flushed: FlushedBatch, poisonedBy poison: SpoolError?) -> SpoolError? {
        let written = flushed.written
        let batch = written.batch
        var failure = poison
        if failure == nil, case .failure(let error) = flushed.outcome {
            failure = error
            // A flush failed after its records were written: later batches must not stay on top.
            if batch.failure == nil, let start = written.pending?.start { pipeline.recordFailure(error, start: start) }
        }
        if let failure {
            reportBatchError("Spool write failed; batch not acknowledged", failure, records: batch.recordCount)
            // Messages of a failed batch were never indexed; state records stay applied in
            // memory (losing one only repeats a delivery, which the idempotency key absorbs).
            for entry in batch.entries { entry.answer(.failure(failure)) }
            return failure
        }
        var entries = batch.entries
        var locations = batch.locations
        if let rollFailure = written.rollFailure {
            // The records are durable, so their callers get receipts (an error would make the
            // portal send again a message that is already stored). Only whoever asked for the
            // roll (a purge) hears of the failure; the segment stays active until a later roll.
            reportBatchError("Spool segment roll failed; the batch's records are durable", rollFailure, records: batch.recordCount)
            var kept: [CommitQueue.Entry] = []
            var keptLocations: [RecordLocation?] = []
            for (entry, location) in zip(entries, locations) {
                if case .roll = entry.work {
                    entry.answer(.failure(rollFailure))
                } else {
                    kept.append(entry)
                    keptLocations.append(location)
                }
            }
            entries = kept
            locations = keptLocations
        }
        complete(
            DurableBatch(
                entries: entries,
                locations: locations,
                recordCount: batch.recordCount,
                activeSegment: written.activeSegment,
                activeSize: written.activeSize
            )
        )
        return nil
    }

    /// One error event for a batch: a constant message, the error and the batch's record count.
    private func reportBatchError(_ message: String, _ error: SpoolError, records: Int) {
        events(SpoolEvent(.error, message, ["amtsbote.spool.error": error.shortDescription, "amtsbote.spool.records": String(records)]))
    }

    private static func writeFailure(_ error: any Error, _ what: String) -> SpoolError {
        error as? SpoolError ?? SpoolError(.writeFailed, "\(what): \(error)")
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
            // Records are in log order: the last one per segment ends it (batches are completed
            // in write order; `max` keeps sizes from ever shrinking all the same).
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
                batch.entries[position].answer(.success(batch.locations[position]))
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
            state.index.slots.warm(positions.lazy.compactMap { batch.entries[$0].message?.id })
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
