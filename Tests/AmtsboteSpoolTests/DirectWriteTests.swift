import Foundation
import Synchronization
import Testing

@testable import AmtsboteSpool

#if canImport(Glibc)
import Glibc
#endif

/// Spare segments are written with direct I/O in whole pages (`DirectPageWriter`): the kernel
/// refuses any write that is not page-aligned, and the bytes must come out as if appended.
@Suite(.timeLimit(.minutes(2))) struct DirectWriteTests {
    /// Records of awkward sizes, staged and flushed in uneven groups, land byte for byte where
    /// appends would have put them, with zeros after the last one up to its page's end; the
    /// spare's zeros further on stay untouched.
    @Test func stagedBytesLandAsIfAppended() throws {
        try withTemporaryDirectorySync { directory in
            let path = directory.appendingPathComponent("spare").path
            let fileBytes = 256 << 10
            #expect(FileManager.default.createFile(atPath: path, contents: Data(count: fileBytes)))
            let fd = open(path, O_WRONLY | FileSpace.directIO)
            try #require(fd >= 0, "direct I/O is available on the test's file system")
            defer { close(fd) }

            let writer = DirectPageWriter(capacity: 16 << 10)
            writer.reset()
            var expected: [UInt8] = []
            var generator = SystemRandomNumberGenerator()
            // Sizes around the page size and the staging capacity, flushed after 1–4 records.
            let sizes = [1, 4095, 1, 4096, 4097, 100, 8191, 3, 12_000, 16 << 10, 2048, 2048, 2049, 7, 5000]
            var sinceFlush = 0
            for (index, size) in sizes.enumerated() {
                let record = (0..<size).map { _ in UInt8.random(in: 1...255, using: &generator) }
                if record.count > writer.room {
                    try writer.flush(fd: fd, at: expected.count - writer.stagedCount, path: path)
                    try check(path, expected, fileBytes)
                }
                record.withUnsafeBytes { writer.stage($0) }
                expected += record
                sinceFlush += 1
                if sinceFlush == 1 + index % 4 {
                    try writer.flush(fd: fd, at: expected.count - writer.stagedCount, path: path)
                    try check(path, expected, fileBytes)
                    sinceFlush = 0
                }
            }
            try writer.flush(fd: fd, at: expected.count - writer.stagedCount, path: path)
            try check(path, expected, fileBytes)
        }
    }

    /// A direct write refused in the middle of a record bigger than the staging buffer (a file
    /// system that opens for direct I/O but will not write that way): the writer goes on
    /// buffered, and every byte of the record is in the file.
    @Test func aRefusedDirectWriteInsideALargeRecordLosesNothing() throws {
        try withTemporaryDirectorySync { directory in
            let segmentBytes = 4 << 20
            let preparer = SegmentPreparer(directory: directory.path, segmentBytes: segmentBytes, count: 1, events: { _ in })
            preparer.request()
            let deadline = ContinuousClock.now + .seconds(20)
            while !preparer.hasReady && ContinuousClock.now < deadline { usleep(2000) }
            try #require(preparer.hasReady)
            let directWrites = Mutex(0)
            let writer = try SegmentWriter(directory: directory.path, number: 1, size: 0, segmentBytes: segmentBytes, preparer: preparer) {
                fd, buffer, offset, path in
                let call = directWrites.withLock { count in
                    count += 1
                    return count
                }
                if call == 1 { throw SpoolError(.writeFailed, "injected: direct write refused") }
                try FileSystem.writeAll(fd, buffer, at: offset, path: path)
            }
            try writer.roll()  // into the spare: direct I/O
            let record = (0..<((3 << 20) + 777)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
            let locations = try writer.write([record])
            try writer.commit()
            writer.close()

            #expect(locations.map(\.segment) == [2])
            let data = try Data(contentsOf: directory.appendingPathComponent(SegmentName.file(2)))
            #expect(data.count == record.count)
            #expect(data.elementsEqual(record))
            #expect(directWrites.withLock { $0 } == 1, "direct I/O stays off after the refusal")
        }
    }

    /// The file holds `expected`, then zeros to its end (the page padding and the spare's zeros).
    private func check(_ path: String, _ expected: [UInt8], _ fileBytes: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == fileBytes)
        #expect(data.prefix(expected.count).elementsEqual(expected))
        #expect(data.dropFirst(expected.count).allSatisfy { $0 == 0 })
    }

    /// Through the spool: messages of many sizes (one bigger than the staging buffer) go into
    /// spares opened for direct I/O, read back right after `accept` (buffered reads of pages
    /// just written directly) and again after a restart.
    @Test func messagesInDirectSparesReadBackNowAndAfterARestart() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: 256 << 10, preparedSegments: 2)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            var stored: [(MessageID, Data)] = []
            var sawDirect = false
            var index = 0
            let deadline = ContinuousClock.now + .seconds(30)
            while (!sawDirect || index < 400) && ContinuousClock.now < deadline {
                let size = index == 250 ? (1 << 20) + 12_345 : 1 + (index * 7919) % 9000
                let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ index) })
                let receipt = try await spool.accept(message(payload))
                #expect(try spool.payload(receipt.id).payload == payload)
                stored.append((receipt.id, payload))
                index += 1
                if !sawDirect { sawDirect = try activeSegmentIsOpenForDirectIO(directory, spool) }
            }
            #expect(sawDirect, "the writer never wrote a spare with direct I/O")
            try await spool.close()

            let reopened = try Spool.open(directory: directory, configuration: configuration)
            #expect(reopened.stats().messages == stored.count)
            for (id, payload) in stored {
                #expect(try reopened.payload(id).payload == payload)
            }
            try await reopened.close()
        }
    }

    private func message(_ payload: Data) -> NewMessage {
        NewMessage(clientID: "portal", contentType: "application/octet-stream", targets: ["gewerbeamt"], payload: payload)
    }

    /// Whether this process holds the active segment open with `O_DIRECT` (from /proc: the
    /// writer's descriptor is private).
    private func activeSegmentIsOpenForDirectIO(_ directory: URL, _ spool: Spool) throws -> Bool {
        let active = directory.appendingPathComponent("segments")
            .appendingPathComponent(SegmentName.file(UInt32(spool.stats().segments))).resolvingSymlinksInPath().path
        for name in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name),
                  target == active,
                  let info = try? String(contentsOfFile: "/proc/self/fdinfo/" + name, encoding: .utf8),
                  let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") }),
                  let flags = Int32(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8)
            else { continue }
            if flags & FileSpace.directIO != 0 && flags & O_WRONLY != 0 { return true }
        }
        return false
    }
}

/// `withTemporaryDirectory` for synchronous tests.
private func withTemporaryDirectorySync(_ body: (URL) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-direct-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url)
}
