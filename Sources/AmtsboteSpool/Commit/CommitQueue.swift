import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The hand-over point between callers and the writer thread: callers append encoded records,
/// the writer takes everything pending as one batch, writes it with one fdatasync and then
/// tells each caller. While one batch is being flushed, the next one accumulates; a lone
/// caller's record is taken at once, so nobody waits for company.
///
/// A pthread mutex and condition variable (not an actor) because the writer is a plain thread
/// that must sleep until work arrives.
final class CommitQueue: @unchecked Sendable {
    /// One unit of work for the writer.
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
        /// Called on the writer thread with the outcome.
        var completion: (@Sendable (Result<RecordLocation?, SpoolError>) -> Void)?
    }

    // Both are heap-allocated once and never moved: pthread objects must not be copied.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var pending: [Entry] = []
    private var isClosed = false

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Adds entries for the next batch.
    /// - Throws: `.closed` after `close()`.
    func enqueue(_ entries: [Entry]) throws {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !isClosed else { throw SpoolError(.closed, "the spool is closed") }
        let wasEmpty = pending.isEmpty
        pending.append(contentsOf: entries)
        if wasEmpty { pthread_cond_signal(condition) }
    }

    func enqueue(_ entry: Entry) throws {
        try enqueue(CollectionOfOne(entry).map { $0 })
    }

    /// Blocks until work is pending and returns all of it; nil once closed and drained.
    func takeBatch() -> [Entry]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while pending.isEmpty && !isClosed {
            pthread_cond_wait(condition, mutex)
        }
        if pending.isEmpty { return nil }
        let batch = pending
        pending = []
        pending.reserveCapacity(batch.count)
        return batch
    }

    /// Refuses new entries; the writer drains what is pending and then stops.
    func close() {
        pthread_mutex_lock(mutex)
        isClosed = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
