import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Orders the batches of the spool's writer lanes so that several fdatasyncs can be in flight
/// at once while the log order, the index order and the answer order stay the same.
///
/// A lane writes its batch while holding the write lock (one writer of the segment at a time)
/// and takes a ticket there, so tickets follow the log. It flushes outside the lock, while
/// another lane writes the next batch, and indexes and answers only once every earlier ticket
/// is done. Why: this machine's disk takes about as long to flush 64 records as 128 (390 µs
/// with spares being zero-filled beside it), so the callers of one batch used to turn around
/// while the disk sat idle, and flushes in flight together overlap. C model (`fdatasync` after
/// a 2 KiB × n direct write, a thread zero-filling new files beside it): one thread flushing
/// 128 records after a 400 µs pause ran 140–151 k records/s, two threads flushing 64 after
/// 200 µs 168–185 k/s, two flushing 128 after 400 µs 231–239 k/s.
///
/// A flush that fails poisons the tickets after it: their records follow the failed ones in
/// the log, so they fail too, and the next write cuts the log back to where the failed batch
/// began (once every ticket issued before has been completed).
final class FlushPipeline: @unchecked Sendable {
    /// Where a batch's records start in the log.
    struct Position: Sendable, Equatable {
        var segment: UInt32
        var offset: Int
    }

    /// The first failed flush not yet cut back.
    struct Failure: Sendable {
        var error: SpoolError
        var start: Position
    }

    // Heap-allocated once and never moved: pthread objects must not be copied.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let turn: UnsafeMutablePointer<pthread_cond_t>
    private let writes: UnsafeMutablePointer<pthread_mutex_t>
    private var issued: UInt64 = 0
    private var completed: UInt64 = 0
    private var failure: Failure?
    private let lanes: Int
    private var lanesRunning: Int
    /// Entries of the batches whose flush has been issued and not yet returned.
    private var flushingEntries = 0
    /// Entries being flushed right after each of the last four issues: the largest is taken
    /// for the number of callers, and each lane collects its share (`target`).
    private var recentPeaks = [1, 1, 1, 1]
    private var nextPeak = 0

    init(lanes: Int) {
        self.lanes = lanes
        lanesRunning = lanes
        mutex = .allocate(capacity: 1)
        turn = .allocate(capacity: 1)
        writes = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(turn, nil)
        pthread_mutex_init(writes, nil)
    }

    deinit {
        pthread_cond_destroy(turn)
        pthread_mutex_destroy(mutex)
        pthread_mutex_destroy(writes)
        mutex.deallocate()
        turn.deallocate()
        writes.deallocate()
    }

    /// Held while a lane takes a batch and writes it. (A caller leading a lone flush needs no
    /// lock: `CommitQueue` lets it lead only while no batch is taken or in flight.)
    func lockWrites() { pthread_mutex_lock(writes) }
    func unlockWrites() { pthread_mutex_unlock(writes) }

    /// How many entries a lane starting a batch should collect: the callers seen lately divided
    /// by the lanes, so that they split into groups whose flushes overlap (one group's callers turn
    /// around while the other's batch is on the disk). Counting entries under flush, not
    /// batches taken, keeps callers answered but not yet completed from being counted twice.
    func target() -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return max(1, (recentPeaks.max()! + lanes - 1) / lanes)
    }

    /// The next ticket, taken under the write lock right after the batch of `entries` was
    /// written, just before its flush.
    func issue(entries: Int) -> UInt64 {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        issued += 1
        flushingEntries += entries
        recentPeaks[nextPeak] = flushingEntries
        nextPeak = (nextPeak + 1) % recentPeaks.count
        return issued
    }

    /// The flush of a batch of `entries` has returned.
    func flushed(entries: Int) {
        pthread_mutex_lock(mutex)
        flushingEntries -= entries
        pthread_mutex_unlock(mutex)
    }

    /// Blocks until every earlier ticket is completed; returns the failure that poisons this
    /// ticket, if an earlier flush failed.
    func awaitTurn(_ ticket: UInt64) -> SpoolError? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while completed + 1 < ticket { pthread_cond_wait(turn, mutex) }
        return failure?.error
    }

    /// In its turn: the ticket's own flush failed (the first failure is kept).
    func recordFailure(_ error: SpoolError, start: Position) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if failure == nil { failure = Failure(error: error, start: start) }
    }

    /// The ticket is indexed and answered (or failed): the next one may go.
    func complete(_ ticket: UInt64) {
        pthread_mutex_lock(mutex)
        completed = ticket
        pthread_cond_broadcast(turn)
        pthread_mutex_unlock(mutex)
    }

    /// Under the write lock, before writing: if a flush failed, waits until every ticket issued
    /// so far is completed (they all fail) and returns where to cut the log back to.
    func takeFailureOnceDrained() -> Failure? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard failure != nil else { return nil }
        while completed < issued { pthread_cond_wait(turn, mutex) }
        defer { failure = nil }
        return failure
    }

    /// A lane has stopped; true for the last one (which then closes the segment writer).
    func laneStopped() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        lanesRunning -= 1
        return lanesRunning == 0
    }
}
