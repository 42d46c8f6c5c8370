import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Keeps zero-filled files ready to become the next segment, written by a thread of its own.
///
/// Why: on ext4, a flush after writing into blocks the file has never written (appended or
/// only reserved) also commits the block allocation or the unwritten-extent conversion to the
/// journal; a flush after overwriting written blocks carries the data alone. PostgreSQL
/// zero-fills its WAL segments for the same reason (`wal_init_zero`). Measured on this
/// machine's disk (C probe, 10 s of 128 × 2 KiB batches, one fdatasync each): appending to
/// reserved 64 MiB files sustained 145–167 k records/s, overwriting written ones 622 k/s.
///
/// Spares are named `spare-<n>.zero` in the segments directory and hold zeros only (nothing a
/// purge must remove). A spare is written as `….tmp`, flushed, then renamed, so a name without
/// `.tmp` always means a complete file; start-up deletes `.tmp` leftovers. Nothing depends on a
/// spare being ready: without one the writer creates the next segment as before.
final class SegmentPreparer: Sendable {
    let directory: String
    let segmentBytes: Int
    /// Spares kept ready.
    let count: Int
    private let events: SpoolEventSink
    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var ready: [String] = []
        var nextNumber = 1
        var wanted = false
        var started = false
        var stopped = false
        /// Spare files found at start-up and not adopted (wrong size, unfinished, or more than
        /// `count`): deleted when this process starts preparing spares of its own.
        var stale: [String] = []
    }

    /// Bytes per write call while filling (a bigger call delays a concurrent small flush more).
    private static let chunkBytes = 256 << 10
    /// Direct I/O needs offsets, lengths and buffers aligned to the block size; 4 KiB suits
    /// every Linux file system in use.
    private static let alignment = 4096
    /// Filled bytes between flushes of a spare, so its write-back is spread over the fill.
    private static let flushBytes = 8 << 20
    private static let suffix = ".zero"
    private static let prefix = "spare-"

    /// Adopts complete spares left by an earlier run (those of the configured size). Other
    /// spare files are deleted at the first `request()`, when this process starts preparing
    /// its own: a CLI command, which writes a few records and never prepares any, leaves a
    /// server's spares alone even if its segment size differs. With `count` 0 (spares turned
    /// off) they are all deleted at once. No thread runs until the first `request()`.
    init(directory: String, segmentBytes: Int, count: Int, events: @escaping SpoolEventSink) {
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.count = count
        self.events = events
        var state = State()
        for name in (try? FileSystem.list(directory)) ?? [] where name.hasPrefix(Self.prefix) {
            let path = directory + "/" + name
            if name.hasSuffix(Self.suffix), let number = Int(name.dropFirst(Self.prefix.count).dropLast(Self.suffix.count)),
                (try? FileSystem.size(path)) == segmentBytes, state.ready.count < count
            {
                state.ready.append(path)
                state.nextNumber = max(state.nextNumber, number + 1)
            } else if count == 0 {
                unlink(path)
            } else {
                state.stale.append(path)
            }
        }
        self.state = Mutex(state)
    }

    /// Whether a spare is ready to be taken.
    var hasReady: Bool { state.withLock { !$0.ready.isEmpty } }

    /// Deletes the ready spares (the disk is full: their space is better spent on records).
    /// New ones are prepared when the next segment is started.
    func discardReady() {
        let paths = state.withLock { state -> [String] in
            defer { state.ready.removeAll() }
            return state.ready
        }
        for path in paths { unlink(path) }
    }

    /// A ready spare's path, no longer counted as ready (the caller renames it), or nil.
    func take() -> String? {
        state.withLock { $0.ready.isEmpty ? nil : $0.ready.removeFirst() }
    }

    /// Asks for spares to be prepared up to `count`; starts the thread on first use. Cheap when
    /// nothing is missing.
    func request() {
        let (signal, start, stale) = state.withLock { state -> (Bool, Bool, [String]) in
            guard !state.stopped, count > 0, state.ready.count < count, !state.wanted else { return (false, false, []) }
            state.wanted = true
            defer {
                state.started = true
                state.stale = []
            }
            return (true, !state.started, state.stale)
        }
        for path in stale { unlink(path) }
        if start {
            let thread = Thread { [self] in
                Thread.current.name = "spool-preparer"  // on the thread itself, ≤ 15 bytes (see `Spool.startWriter`)
                run()
            }
            thread.start()
        }
        if signal { wake.signal() }
    }

    /// Stops the thread (a spare being written is deleted) and waits for it. Idempotent.
    func stop() {
        let running = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return state.started && !state.stopped
        }
        guard running else { return }
        wake.signal()
        finished.wait()
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func run() {
        defer { finished.signal() }
        while true {
            wake.wait()
            while true {
                let number: Int? = state.withLock { state in
                    guard !state.stopped, state.ready.count < count else {
                        state.wanted = false
                        return nil
                    }
                    defer { state.nextNumber += 1 }
                    return state.nextNumber
                }
                guard let number else { break }
                let path = directory + "/" + Self.prefix + String(number) + Self.suffix
                do {
                    guard try fill(path) else { return }
                    state.withLock { $0.ready.append(path) }
                } catch {
                    // Most likely a full disk: the writer carries on without spares. Try again
                    // when the next segment is started.
                    events(SpoolEvent(.warning, "Could not prepare a spool segment", ["amtsbote.spool.error": "\(error)"]))
                    state.withLock { $0.wanted = false }
                    break
                }
            }
            if isStopped { return }
        }
    }

    /// Writes `segmentBytes` zeros to `path` via a temporary name. Returns false if stopped.
    ///
    /// The zeros are written with direct I/O where the file system has it: through the page
    /// cache, filling a spare cost this machine 1.5–4.8 µs of CPU per 4 KiB page (new page-cache
    /// pages), direct 0.3 µs, and the CPU is what the accepting callers need. The segment
    /// writer writes whole pages into a spare, so its writes need not read the uncached zeros.
    private func fill(_ path: String) throws -> Bool {
        let temporary = path + ".tmp"
        let fd = try FileSystem.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        var complete = false
        defer {
            close(fd)
            if !complete { unlink(temporary) }
        }
        var direct = FileSpace.directIO != 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | FileSpace.directIO) == 0
        let zeros = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkBytes, alignment: Self.alignment)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0)
        var offset = 0
        while offset < segmentBytes {
            if isStopped { return false }
            let length = min(Self.chunkBytes, segmentBytes - offset)
            if direct && length % Self.alignment != 0 {
                // The unaligned end (only with segment sizes that are not whole pages).
                direct = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~FileSpace.directIO) != 0
            }
            let chunk = UnsafeRawBufferPointer(rebasing: zeros[0..<length])
            do {
                try FileSystem.writeAll(fd, chunk, at: offset, path: temporary)
            } catch where direct {
                // A file system that opens for direct I/O but refuses the write: go buffered.
                direct = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~FileSpace.directIO) != 0
                try FileSystem.writeAll(fd, chunk, at: offset, path: temporary)
            }
            offset += length
            if offset % Self.flushBytes == 0 || offset == segmentBytes {
                if fdatasync(fd) != 0 { throw SpoolError.io("fdatasync", path: temporary, errno: errno) }
            }
        }
        if rename(temporary, path) != 0 { throw SpoolError.io("rename", path: temporary, errno: errno) }
        complete = true
        return true
    }
}
