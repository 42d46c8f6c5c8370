import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The hand-over point between callers and the writer lanes: callers append encoded records,
/// a lane takes everything pending as one batch, writes it with one fdatasync and then tells
/// each caller. While one batch is being flushed, the next one accumulates (and is taken by
/// another lane); a lone caller's record is taken at once, so nobody waits for company.
///
/// A pthread mutex and condition variable (not an actor) because the lanes are plain threads
/// that must sleep until work arrives. Only one lane waits on the condition at a time (the one
/// holding the pipeline's write lock), so a signal always reaches the lane that takes.
final class CommitQueue: @unchecked Sendable {
    /// One unit of work for the writer lanes.
    struct Entry: Sendable {
        enum Work: Sendable {
            /// A framed record to append.
            case record([UInt8])
            /// Seal the active segment after this batch (purge needs every record in a sealed segment).
            case roll
        }

        var work: Work
        /// For message records: what the index needs once the record is durable.
        var message: PendingMessage?
        /// A content-free audit line to write once the record is durable.
        var audit: String?
        /// Called with the outcome by the thread that wrote the batch, once the record is
        /// durable and indexed or once the batch failed.
        var completion: (@Sendable (Result<RecordLocation?, SpoolError>) -> Void)?
        /// An `accept` caller waiting for its record, resumed directly (unsafe, not checked: it is
        /// resumed exactly once, by `answer`). Held instead of a `completion` closure capturing
        /// it, which cost a heap allocation per accept (bench spool c=128, interleaved 10-s runs:
        /// 117-145 k/s with the closure, 126-155 k/s without; 5 of 6 rounds won).
        var caller: UnsafeContinuation<Void, any Error>?

        /// Tells the entry's waiter (closure or caller) the outcome.
        func answer(_ result: Result<RecordLocation?, SpoolError>) {
            completion?(result)
            guard let caller else { return }
            switch result {
            case .success: caller.resume()
            case .failure(let error): caller.resume(throwing: error)
            }
        }
    }

    // Both are heap-allocated once and never moved: pthread objects must not be copied.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var pending: [Entry] = []
    private var isClosed = false
    /// Batches taken by the writer lanes and not yet finished (written, flushed, answered).
    private var inFlight = 0
    /// A caller is flushing its lone record on its own thread.
    private var leading = false
    /// Records in the last flush: callers lead their own flush only while it was one (the
    /// spool is quiet); under load they join the lanes' batches, which keeps them full.
    private var lastBatchCount = 1
    /// While a lane waits for its batch to fill: the count that wakes it early.
    private var wanted = Int.max
    /// A lane waits for any work at all (the first entry must wake it).
    private var writerIdle = false

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Adds entries for the next batch (generic, so that one `accept`'s entry goes in as
    /// `CollectionOfOne` without an array being built for it).
    /// - Throws: `.closed` after `close()`.
    func enqueue(_ entries: some Collection<Entry>) throws {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isClosed else { throw SpoolError(.closed, "the spool is closed") }
        let before = pending.count
        pending.append(contentsOf: entries)
        if (before == 0 && writerIdle) || (before < wanted && pending.count >= wanted) { pthread_cond_signal(condition) }
    }

    /// Adds one entry (an `accept`).
    func enqueue(_ entry: Entry) throws {
        try enqueue(CollectionOfOne(entry))
    }

    /// Blocks until work is pending and returns all of it, starting a batch; nil once closed
    /// and drained. Called by one lane at a time (under the pipeline's write lock).
    func takeBatch() -> [Entry]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while pending.isEmpty || leading {
            if isClosed && pending.isEmpty && !leading { return nil }
            writerIdle = true
            pthread_cond_wait(condition, mutex)
            writerIdle = false
        }
        inFlight += 1
        return takePending()
    }

    /// A point in time for `takeMore`, `patience` from now (monotonic clock).
    static func deadline(after patience: Duration) -> timespec {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let (seconds, attoseconds) = patience.components
        let nanoseconds = Int(deadline.tv_nsec) + Int(attoseconds / 1_000_000_000)
        deadline.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        return deadline
    }

    /// For the batch being written: waits until at least `count` more entries are pending (or
    /// `deadline` passes, or the queue closes) and returns what is pending, possibly nothing.
    ///
    /// The callers of the previous batch are most likely on their way back (they were just
    /// answered): waiting a little for them fills the batch instead of flushing a few records
    /// and making the rest wait a whole flush. Waiting for several at a time keeps the number
    /// of write calls per batch small.
    func takeMore(count: Int, until deadline: timespec) -> [Entry] {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var deadline = deadline
        wanted = count
        while pending.count < count && !isClosed {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
        }
        wanted = .max
        return takePending()
    }

    private func takePending() -> [Entry] {
        let taken = pending
        pending = []
        pending.reserveCapacity(taken.count)
        return taken
    }

    /// A writer lane has written, indexed and answered (or failed) the batch `takeBatch` gave it.
    func finishBatch(count: Int) {
        pthread_mutex_lock(mutex)
        inFlight -= 1
        lastBatchCount = count
        pthread_mutex_unlock(mutex)
    }

    /// Lets a caller flush its own record on its own thread when nothing else is pending and
    /// no lane has a batch: a lone submission then needs no hand-over to a writer lane and back
    /// (two thread wake-ups, which cost more than the flush on a busy machine). Returns false
    /// if the caller must enqueue instead; after true, call `endLead()`.
    func tryLead() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        // A lane's batch counts until it is indexed: batches are indexed in write order.
        guard !isClosed, !leading, inFlight == 0, pending.isEmpty, lastBatchCount <= 1 else { return false }
        leading = true
        return true
    }

    /// Ends a caller's flush; wakes the waiting lane for whatever arrived meanwhile.
    func endLead() {
        pthread_mutex_lock(mutex)
        leading = false
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Refuses new entries; the lanes drain what is pending and then stop.
    func close() {
        pthread_mutex_lock(mutex)
        isClosed = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
