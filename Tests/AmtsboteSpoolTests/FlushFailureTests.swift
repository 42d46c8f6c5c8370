import Dispatch
import Foundation
import Synchronization
import Testing

@testable import AmtsboteSpool

#if canImport(Glibc)
import Glibc
#endif

/// A flush (fdatasync) that fails after its batch was written: nothing of that batch is
/// acknowledged, a batch written after it while it was in flight fails too (its records follow
/// the failed ones), and the log is cut back so that neither turns up after a restart.
@Suite(.timeLimit(.minutes(1))) struct FlushFailureTests {
    /// Two lanes with batches in flight; the earlier batch's flush fails, the later one's
    /// succeeds.
    @Test func aFailedFlushAlsoFailsTheBatchWrittenAfterItAndCutsTheLogBack() async throws {
        try await withTemporaryDirectory { directory in
            let fault = FlushFault(waitForSecondFlush: true)
            let spool = try Spool.open(
                directory: directory,
                configuration: SpoolConfiguration(preparedSegments: 0),
                events: { _ in },
                flushFile: fault.flush
            )
            let before = try await spool.accept(sampleMessage("<antrag>vorher</antrag>"))
            fault.arm()
            // Steady load from 32 callers, so that both lanes have batches in flight, until the
            // fault has fired and a little after.
            let outcomes = try await withThrowingTaskGroup(of: [(String, Result<MessageID, SpoolError>)].self) { group in
                for caller in 0..<32 {
                    group.addTask {
                        var results: [(String, Result<MessageID, SpoolError>)] = []
                        var after = 0
                        let stopAt = ContinuousClock.now + .seconds(30)
                        while after < 5 && ContinuousClock.now < stopAt {
                            if fault.failures > 0 { after += 1 }
                            let text = "<antrag>\(caller)-\(results.count)</antrag>"
                            do {
                                results.append((text, .success(try await spool.accept(sampleMessage(text)).id)))
                            } catch let error as SpoolError {
                                results.append((text, .failure(error)))
                            }
                        }
                        return results
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let failed = outcomes.compactMap { outcome -> SpoolError? in
                if case .failure(let error) = outcome.1 { return error }
                return nil
            }
            var acknowledged = [(before.id, "<antrag>vorher</antrag>")]
            for (text, result) in outcomes { if case .success(let id) = result { acknowledged.append((id, text)) } }

            #expect(fault.failures == 1)
            #expect(!failed.isEmpty)
            #expect(failed.allSatisfy { $0.code == .writeFailed })
            // The spool goes on after the cut.
            let after = try await spool.accept(sampleMessage("<antrag>danach</antrag>"))
            acknowledged.append((after.id, "<antrag>danach</antrag>"))
            #expect(spool.stats().messages == acknowledged.count)
            for (id, text) in acknowledged { #expect(try spool.payload(id).payload == Data(text.utf8)) }
            try await spool.close()

            let reopened = try Spool.open(directory: directory, configuration: SpoolConfiguration(preparedSegments: 0))
            #expect(reopened.stats().messages == acknowledged.count, "no record of a failed batch survives")
            for (id, text) in acknowledged { #expect(try reopened.payload(id).payload == Data(text.utf8)) }
            try await reopened.close()
        }
    }

    /// The flush fails and nothing is written after it: closing cuts it off all the same.
    @Test func aFailedFlushFollowedByCloseIsCutOff() async throws {
        try await withTemporaryDirectory { directory in
            let fault = FlushFault(waitForSecondFlush: true)
            let configuration = SpoolConfiguration(preparedSegments: 0)
            let spool = try Spool.open(directory: directory, configuration: configuration, events: { _ in }, flushFile: fault.flush)
            _ = try await spool.accept(sampleMessage("<antrag>vorher</antrag>"))
            fault.arm()
            // The callers stop as soon as the fault has fired: usually nothing is written after
            // the failed batches, so only `close` can cut them off.
            let acknowledged = try await withThrowingTaskGroup(of: Int.self) { group in
                for caller in 0..<32 {
                    group.addTask {
                        var stored = 0
                        let stopAt = ContinuousClock.now + .seconds(30)
                        while fault.failures == 0 && ContinuousClock.now < stopAt {
                            if (try? await spool.accept(sampleMessage("<antrag>\(caller)</antrag>"))) != nil { stored += 1 }
                        }
                        return stored
                    }
                }
                return try await group.reduce(1, +)
            }
            #expect(fault.failures == 1)
            #expect(spool.stats().messages == acknowledged)
            try await spool.close()

            let reopened = try Spool.open(directory: directory, configuration: configuration)
            #expect(reopened.stats().messages == acknowledged, "no record of a failed batch survives")
            try await reopened.close()
        }
    }

    /// The log is cut back into a segment sealed after the failed batch was written (a roll by
    /// a later batch), and a segment begun since is emptied.
    @Test func aCutBackReachesIntoASegmentSealedSince() async throws {
        try await withTemporaryDirectory { directory in
            let writer = try SegmentWriter(directory: directory.path, number: 1, size: 0, segmentBytes: 1 << 20)
            let (first, second, third) = ([UInt8](repeating: 1, count: 1000), [UInt8](repeating: 2, count: 700), [UInt8](repeating: 3, count: 500))
            _ = try writer.write([first])
            try writer.commit()
            _ = try writer.write([second])
            let failed = try writer.writeOut()
            try writer.roll()
            _ = try writer.write([third])
            let later = try writer.writeOut()
            try writer.flush(later)
            try writer.flush(failed)  // (it "failed": the spool would now cut back)
            writer.cutBack(to: failed.start)
            writer.close()

            #expect(failed.start == FlushPipeline.Position(segment: 1, offset: 1000))
            let segments = directory.path + "/"
            #expect(try Data(contentsOf: URL(fileURLWithPath: segments + SegmentName.file(1))) == Data(first))
            #expect(try Data(contentsOf: URL(fileURLWithPath: segments + SegmentName.file(2))).isEmpty)
        }
    }

    /// A batch's flush runs on its own open of the segment, not on a duplicate of the writer's
    /// descriptor: Linux reports a write-back error once per open file, so a duplicate would
    /// share it with the roll's and the other batches' flushes. (Duplicates share the file
    /// offset, which is how this test tells them apart.)
    @Test func eachBatchIsFlushedThroughItsOwnOpenOfTheSegment() async throws {
        try await withTemporaryDirectory { directory in
            let writer = try SegmentWriter(directory: directory.path, number: 1, size: 0, segmentBytes: 1 << 20)
            _ = try writer.write([[UInt8](repeating: 1, count: 100)])
            let first = try writer.writeOut()
            #expect(first.fd >= 0)
            #expect(lseek(first.fd, 4096, SEEK_SET) == 4096)
            _ = try writer.write([[UInt8](repeating: 2, count: 100)])
            let second = try writer.writeOut()
            #expect(lseek(second.fd, 0, SEEK_CUR) == 0)
            try writer.flush(first)
            try writer.flush(second)
            writer.close()
        }
    }

    /// A lone caller's own flush fails: the caller gets the error and its record is cut off.
    @Test func aFailedLoneFlushIsCutOff() async throws {
        try await withTemporaryDirectory { directory in
            let fault = FlushFault(waitForSecondFlush: false)
            let configuration = SpoolConfiguration(preparedSegments: 0)
            let spool = try Spool.open(directory: directory, configuration: configuration, events: { _ in }, flushFile: fault.flush)
            let first = try await spool.accept(sampleMessage("<antrag>eins</antrag>"))
            fault.arm()
            await #expect(throws: SpoolError.self) { try await spool.accept(sampleMessage("<antrag>zwei</antrag>")) }
            #expect(fault.failures == 1)
            let third = try await spool.accept(sampleMessage("<antrag>drei</antrag>"))
            #expect(spool.stats().messages == 2)
            try await spool.close()

            let reopened = try Spool.open(directory: directory, configuration: configuration)
            #expect(reopened.stats().messages == 2)
            #expect(try reopened.payload(first.id).payload == Data("<antrag>eins</antrag>".utf8))
            #expect(try reopened.payload(third.id).payload == Data("<antrag>drei</antrag>".utf8))
            try await reopened.close()
        }
    }
}

/// fdatasync that, once armed, fails one call with EIO: the next one, or (with
/// `waitForSecondFlush`) the first writer lane's flush during which another flush starts (held
/// up to 200 ms for it; without one it goes through and the next call tries again). Only lane
/// threads are held: a lone caller flushes on a thread of the concurrency pool, and holding
/// one would stall every other test of the process.
private final class FlushFault: Sendable {
    private struct State {
        var armed = false
        var holding = false
        var failures = 0
    }

    private let state = Mutex(State())
    private let secondFlush = DispatchSemaphore(value: 0)
    private let waitForSecondFlush: Bool

    init(waitForSecondFlush: Bool) {
        self.waitForSecondFlush = waitForSecondFlush
    }

    var failures: Int { state.withLock { $0.failures } }

    func arm() { state.withLock { $0.armed = true } }

    /// The calling thread is one of the spool's writer lanes (by its kernel thread name).
    private static func onWriterLane() -> Bool {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return name.hasPrefix("spool-writer-")
    }

    func flush(_ fd: Int32) -> Int32 {
        enum Role { case normal, fail, hold, second }
        let role: Role = state.withLock { state in
            guard state.armed else { return .normal }
            guard waitForSecondFlush else {
                state.armed = false
                state.failures += 1
                return .fail
            }
            if state.holding {
                state.armed = false
                return .second
            }
            guard Self.onWriterLane() else { return .normal }
            state.holding = true
            return .hold
        }
        switch role {
        case .normal:
            return fdatasync(fd)
        case .second:
            secondFlush.signal()
            return fdatasync(fd)
        case .fail:
            errno = EIO
            return -1
        case .hold:
            var paired = secondFlush.wait(timeout: .now() + .milliseconds(200)) == .success
            if !paired {
                paired = state.withLock { state in
                    // A second flush may have come just now (it will have signalled).
                    if state.armed {
                        state.holding = false
                        return false
                    }
                    return true
                }
                if paired { secondFlush.wait() }
            }
            guard paired else { return fdatasync(fd) }
            state.withLock { $0.failures += 1 }
            errno = EIO
            return -1
        }
    }
}
