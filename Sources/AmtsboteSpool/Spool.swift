import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The durable spool: an append-only segment log with group commit and an in-memory index.
///
/// ```swift
/// let spool = try Spool.open(directory: URL(fileURLWithPath: "spool"))
/// let receipt = try await spool.accept(message)      // durable when it returns
/// if let job = spool.claimNextDue(target: "gewerbeamt") { … try await spool.finish(job, …) }
/// try await spool.close()
/// ```
///
/// One process at a time: `open` takes an exclusive lock. All state lives behind one lock; the
/// disk is written by writer threads ("lanes", one writing at a time) that flush whatever has
/// accumulated with one fdatasync (group commit), so concurrent callers share flushes and a
/// lone caller is not delayed; up to three flushes are in flight at once (`FlushPipeline`).
package final class Spool: Sendable {
    package let directory: URL
    package let configuration: SpoolConfiguration
    let events: SpoolEventSink
    let state: Mutex<SpoolState>
    let commits = CommitQueue()
    /// Keeps the writer lanes' batches in log order (see `startWriter`).
    let pipeline = FlushPipeline(lanes: Spool.writerLanes)
    let writer: SegmentWriter
    let hub: ChangeBroadcaster
    let ids = MessageID.Generator()
    let audit: AuditLog
    let lock: FileLock
    /// Resumed by the last writer lane when it has flushed everything and released the lock.
    /// Set while a purge runs (purges never overlap).
    let purging = Atomic<Bool>(false)
    let writerExit = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    var segmentsPath: String { directory.path + "/segments" }
    var corruptPath: String { directory.path + "/corrupt" }

    init(
        directory: URL,
        configuration: SpoolConfiguration,
        events: @escaping SpoolEventSink,
        state: SpoolState,
        writer: SegmentWriter,
        audit: AuditLog,
        lock: FileLock
    ) {
        self.directory = directory
        self.configuration = configuration
        self.events = events
        self.state = Mutex(state)
        self.writer = writer
        self.audit = audit
        self.lock = lock
        hub = ChangeBroadcaster(bufferSize: configuration.changeBufferSize)
    }

    /// Opens (and, if allowed, creates) the spool in `directory`: takes the lock, recovers the
    /// segments (torn tail cut, unreadable bytes copied to `corrupt/`, jobs that were being
    /// delivered are queued again) and starts the writer lanes.
    ///
    /// - Parameter events: receives log events (constant messages, content-free metadata).
    /// - Throws: `SpoolError` `.locked` (with the holder's pid), `.noSpool`, or an I/O error.
    package static func open(
        directory: URL,
        configuration: SpoolConfiguration = .init(),
        events: @escaping SpoolEventSink = { _ in }
    ) throws -> Spool {
        try open(directory: directory, configuration: configuration, events: events, flushFile: { fdatasync($0) })
    }

    /// `open` with the writer lanes' fdatasync replaced (fault-injection tests only).
    static func open(
        directory: URL,
        configuration: SpoolConfiguration,
        events: @escaping SpoolEventSink,
        flushFile: @escaping @Sendable (Int32) -> Int32
    ) throws -> Spool {
        let path = directory.path
        if !FileSystem.exists(path) {
            guard configuration.createIfMissing else {
                throw SpoolError(.noSpool, "spool \(path) does not exist")
            }
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        let lock = try FileLock(path: path + "/lock")
        var openedWriter: SegmentWriter?
        do {
            let segments = path + "/segments"
            try FileSystem.makeDirectory(segments)
            try FileSystem.makeDirectory(path + "/corrupt")
            let recovery = Recovery(
                segmentsDirectory: segments,
                corruptDirectory: path + "/corrupt",
                segmentBytes: configuration.segmentBytes,
                events: events
            )
            let recovered = try recovery.run()
            let preparer = SegmentPreparer(
                directory: segments,
                segmentBytes: configuration.segmentBytes,
                count: max(0, configuration.preparedSegments),
                events: events
            )
            let writer = try SegmentWriter(
                directory: segments,
                number: recovered.activeSegment,
                size: recovered.activeSize,
                segmentBytes: configuration.segmentBytes,
                preparer: preparer,
                flushFile: flushFile
            )
            openedWriter = writer
            var sizes = recovered.segmentSizes
            sizes[recovered.activeSegment] = recovered.activeSize
            let state = SpoolState(
                index: recovered.index,
                segmentSizes: sizes,
                segmentsDirectory: segments,
                activeSegment: recovered.activeSegment
            )
            let audit = try AuditLog(path: path + "/audit.log")
            let spool = Spool(
                directory: directory,
                configuration: configuration,
                events: events,
                state: state,
                writer: writer,
                audit: audit,
                lock: lock
            )
            spool.startWriter()
            events(
                SpoolEvent(
                    .info,
                    "Spool opened",
                    [
                        "amtsbote.spool.messages": String(recovered.index.messageCount),
                        "amtsbote.spool.segments": String(sizes.count),
                    ]
                )
            )
            return spool
        } catch {
            // Gives back the descriptor and the active segment's block reservation.
            openedWriter?.close()
            lock.release()
            throw error
        }
    }

    /// Flushes everything pending, stops the writer and releases the lock. Afterwards accepts and
    /// state changes throw `.closed`; calling `close()` again does nothing.
    package func close() async throws {
        let alreadyClosed = state.withLock { state in
            defer { state.isClosed = true }
            return state.isClosed
        }
        if !alreadyClosed {
            commits.close()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = writerExit.withLock { exit in
                if !exit.done { exit.waiters.append(continuation) }
                return exit.done
            }
            if done { continuation.resume() }
        }
        hub.finish()
    }

    /// A stream of every job state change from now on, for the delivery engine (to wake up) and
    /// `queue watch`. Bounded: a slow reader loses the oldest changes, never memory.
    package func changes() -> AsyncStream<JobChange> {
        hub.subscribe()
    }

    /// Counters for /metrics: O(targets × states), no scan.
    package func stats() -> SpoolStats {
        state.withLock { state in
            SpoolStats(
                messages: state.index.messageCount,
                jobs: state.index.jobCounts(),
                bytesOnDisk: Int64(state.segmentSizes.values.reduce(0, +)),
                segments: state.segmentSizes.count,
                flushes: state.flushes,
                recordsWritten: state.recordsWritten
            )
        }
    }

    /// Turns index changes into public ones (only when someone listens: it costs strings).
    func publish(_ changes: [SpoolIndex.Change], index: borrowing SpoolIndex) -> [JobChange] {
        index.publicChanges(changes)
    }
}
