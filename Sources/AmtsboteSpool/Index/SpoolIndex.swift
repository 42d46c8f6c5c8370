/// The in-memory index rebuilt at start-up: messages by id, jobs, per-target ready queues,
/// counters and idempotency keys. A pure value type without I/O, so that replay at start-up and
/// live changes run the same code (`apply`), and it can be tested without disk.
///
/// Memory per message is a few dozen bytes (ids, locations, numbers); envelopes and payloads
/// stay on disk.
struct SpoolIndex: Sendable {
    /// One job's state change, in index numbers (turned into `JobChange` by the spool).
    struct Change: Sendable {
        var job: UInt32
        var old: JobState?
        var new: JobState?
        var at: Int64
    }

    var messages: [MessageEntry] = []
    var slots = MessageTable()
    var jobs: [JobEntry] = []
    var heaps: [DueHeap] = []
    var targets = StringTable()
    var clients = StringTable()
    /// Jobs per (target, state): `counts[target * 8 + state.rawValue]`.
    var counts: [Int] = []
    private var keys: [UInt64: UInt32] = [:]
    private var keyCollisions: [UInt64: [UInt32]] = [:]

    /// Attempts kept per job (the oldest are dropped beyond this, bounding memory).
    static let maxAttemptsKept = 200

    var messageCount: Int { slots.count }

    // MARK: Interning

    mutating func target(_ name: String) -> UInt32 {
        let number = targets.intern(name)
        growTargets()
        return number
    }

    mutating func target(bytes: UnsafeRawBufferPointer) -> UInt32 {
        let number = targets.intern(bytes)
        growTargets()
        return number
    }

    mutating func client(_ name: String) -> UInt32 { clients.intern(name) }

    mutating func client(bytes: UnsafeRawBufferPointer) -> UInt32 { clients.intern(bytes) }

    private mutating func growTargets() {
        while heaps.count < targets.count {
            heaps.append(DueHeap())
            counts.append(contentsOf: repeatElement(0, count: 8))
        }
    }

    // MARK: Messages

    /// Adds a durable message with one queued job per target, due at reception; appends the
    /// job changes to `changes` if `collecting` (when no one listens, the hot path allocates
    /// nothing per message).
    mutating func insert(
        id: MessageID,
        location: RecordLocation,
        receivedAt: Int64,
        client: UInt32,
        targets targetNumbers: [UInt32],
        keyHash: UInt64,
        collecting: Bool,
        into changes: inout [Change]
    ) {
        let slot = UInt32(messages.count)
        guard slots.insert(id, slot: slot) else { return }
        messages.append(
            MessageEntry(
                id: id,
                location: location,
                receivedAt: receivedAt,
                client: client,
                firstJob: UInt32(jobs.count),
                jobCount: UInt16(targetNumbers.count),
                keyHash: keyHash
            )
        )
        if keyHash != 0 { addKey(keyHash, slot: slot) }
        for target in targetNumbers {
            let job = UInt32(jobs.count)
            jobs.append(JobEntry(message: slot, target: target, state: nil, due: receivedAt, changedAt: receivedAt))
            let change = setState(job, .queued, due: receivedAt, at: receivedAt)
            if collecting { changes.append(change) }
        }
    }

    mutating func addKey(_ hash: UInt64, slot: UInt32) {
        if let existing = keys[hash] {
            keyCollisions[hash, default: [existing]].append(slot)
        } else {
            keys[hash] = slot
        }
    }

    /// Slots of messages whose (client, key) hash is `hash` (usually one; confirm on disk).
    func slots(forKeyHash hash: UInt64) -> [UInt32] {
        if let many = keyCollisions[hash] { return many }
        return keys[hash].map { [$0] } ?? []
    }

    mutating func relocate(slot: UInt32, to location: RecordLocation) {
        messages[Int(slot)].location = location
    }

    // MARK: Jobs

    /// The job of message `slot` for `target`, if it exists and is not deleted.
    func job(slot: UInt32, target: UInt32) -> UInt32? {
        let message = messages[Int(slot)]
        for job in message.firstJob..<(message.firstJob + UInt32(message.jobCount))
        where jobs[Int(job)].target == target && jobs[Int(job)].state != nil {
            return job
        }
        return nil
    }

    func job(id: MessageID, target: String) -> UInt32? {
        guard let slot = slots[id], let target = targets.number(of: target) else { return nil }
        return job(slot: slot, target: target)
    }

    /// Applies a state record (at start-up, and for every live change before it is written).
    /// Returns the state change, or nil if the record changes no state or refers to nothing known
    /// (a record about a purged message).
    @discardableResult
    mutating func apply(_ record: StateRecord) -> Change? {
        guard let job = job(id: record.messageID, target: record.target), let old = jobs[Int(job)].state else { return nil }
        let at = record.atMilliseconds
        switch record.kind {
        case .message:
            return nil
        case .attempt:
            if let attempt = record.attempt {
                if jobs[Int(job)].attempts.count >= Self.maxAttemptsKept { jobs[Int(job)].attempts.removeFirst() }
                jobs[Int(job)].attempts.append(attempt)
                if attempt.outcome == .transientFailure {
                    let failures = jobs[Int(job)].failuresSinceRetry
                    jobs[Int(job)].failuresSinceRetry = failures == .max ? failures : failures + 1
                }
            }
            return nil
        case .routed:
            // Written only by an operator's `retry`: a fresh retry cycle, so the backoff starts
            // over (the attempt history stays). `release` is a pause and keeps the step.
            jobs[Int(job)].failuresSinceRetry = 0
            return setState(job, .queued, due: record.dueMilliseconds ?? at, at: at)
        case .deferred:
            return setState(job, .deferred, due: record.dueMilliseconds ?? at, at: at)
        case .delivered:
            return setState(job, .delivered, due: nil, at: at)
        case .dead:
            return setState(job, .dead, due: nil, at: at)
        case .held:
            jobs[Int(job)].heldFrom = old.isReady ? old : .queued
            return setState(job, .held, due: nil, at: at)
        case .released:
            let back = record.state.flatMap { $0.isReady ? $0 : nil } ?? jobs[Int(job)].heldFrom
            return setState(job, back, due: jobs[Int(job)].due, at: at)
        case .deleted:
            return setState(job, nil, due: nil, at: at)
        }
    }

    /// Moves a job to `new`, keeping counters and ready queues right.
    mutating func setState(_ job: UInt32, _ new: JobState?, due: Int64?, at: Int64) -> Change {
        let index = Int(job)
        let old = jobs[index].state
        let target = Int(jobs[index].target)
        if let old { counts[target * 8 + Int(old.rawValue)] -= 1 }
        if let new { counts[target * 8 + Int(new.rawValue)] += 1 }
        jobs[index].state = new
        jobs[index].changedAt = at
        if let due { jobs[index].due = due }
        if let new, new.isReady {
            jobs[index].generation &+= 1
            heaps[target].push(DueHeap.Entry(due: jobs[index].due, job: job, generation: jobs[index].generation))
            compactHeapIfStale(target)
        }
        return Change(job: job, old: old, new: new, at: at)
    }

    private mutating func compactHeapIfStale(_ target: Int) {
        let ready = counts[target * 8 + Int(JobState.queued.rawValue)] + counts[target * 8 + Int(JobState.deferred.rawValue)]
        guard heaps[target].count > 2 * ready + 1024 else { return }
        let jobs = self.jobs
        heaps[target].rebuild { entry in
            let job = jobs[Int(entry.job)]
            return job.generation == entry.generation && job.state?.isReady == true
        }
    }

    // MARK: Ready queues

    /// Takes the earliest job of `target` due at `now`, marking it `delivering`.
    mutating func claim(target: UInt32, now: Int64) -> (job: UInt32, change: Change)? {
        guard Int(target) < heaps.count else { return nil }
        while let top = heaps[Int(target)].top {
            let entry = jobs[Int(top.job)]
            guard entry.generation == top.generation, entry.state?.isReady == true else {
                heaps[Int(target)].pop()
                continue
            }
            guard top.due <= now else { return nil }
            heaps[Int(target)].pop()
            jobs[Int(top.job)].generation &+= 1
            let change = setState(top.job, .delivering, due: nil, at: now)
            return (top.job, change)
        }
        return nil
    }

    /// When the next job of `target` is due (dropping stale queue entries on the way).
    mutating func nextDue(target: UInt32) -> Int64? {
        guard Int(target) < heaps.count else { return nil }
        while let top = heaps[Int(target)].top {
            let entry = jobs[Int(top.job)]
            if entry.generation == top.generation, entry.state?.isReady == true { return top.due }
            heaps[Int(target)].pop()
        }
        return nil
    }

    func count(target: UInt32, state: JobState) -> Int {
        counts[Int(target) * 8 + Int(state.rawValue)]
    }
}
