import Foundation
import Synchronization
import Testing

@testable import AmtsboteSpool

#if canImport(Glibc)
import Glibc
#endif

/// Segments that start as zero-filled spares: the spool rolls into them, a crash leaves records
/// followed by zeros that recovery takes for the end of the log, and followers read them.
@Suite(.timeLimit(.minutes(2))) struct PreparedSegmentTests {
    private static let segmentBytes = 256 << 10

    private func segmentsDirectory(_ directory: URL) -> URL {
        directory.appendingPathComponent("segments")
    }

    private func segment(_ directory: URL, _ number: UInt32) -> URL {
        segmentsDirectory(directory).appendingPathComponent(SegmentName.file(number))
    }

    private func fileSize(_ url: URL) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
    }

    private func spares(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: segmentsDirectory(directory).path)
            .filter { $0.hasPrefix("spare-") }.sorted()
    }

    private func corruptFiles(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("corrupt").path).sorted()
    }

    private func payload(_ index: Int) -> String {
        String(repeating: "ä", count: 3000) + "\(index)"
    }

    /// Accepts messages until the active segment is a spare (its file is a whole segment long
    /// while its records are not), waiting for the preparer between messages.
    private func acceptUntilActiveIsPrepared(_ spool: Spool, _ directory: URL, into receipts: inout [Receipt]) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            receipts.append(try await spool.accept(sampleMessage(payload(receipts.count))))
            let stats = spool.stats()
            let active = segment(directory, UInt32(stats.segments))
            if stats.segments > 1, try fileSize(active) == Self.segmentBytes {
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("the active segment never was a prepared spare")
    }

    @Test func rollsIntoSparesSealsThemAtTheirRecordsAndAdoptsSparesAfterARestart() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: Self.segmentBytes, preparedSegments: 2)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            var receipts: [Receipt] = []
            try await acceptUntilActiveIsPrepared(spool, directory, into: &receipts)
            let sealedBeforeClose = spool.stats().segments - 1
            // The preparer replaces the spare taken; let it finish one (close stops a spare
            // in progress and deletes it).
            let deadline = ContinuousClock.now + .seconds(10)
            while try !spares(directory).contains(where: { $0.hasSuffix(".zero") }) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await spool.close()

            // Every segment now ends at its last record: the active one's zeros were cut at close.
            // (The first segment was not a spare; it was sealed as soon as one was ready.)
            #expect(sealedBeforeClose >= 1)
            for number in 1...UInt32(sealedBeforeClose + 1) {
                #expect(try fileSize(segment(directory, number)) < Self.segmentBytes, "segment \(number) still has its zeros")
            }
            // Spares left for the next start hold zeros only and have the segment's size.
            let left = try spares(directory)
            #expect(!left.isEmpty && left.count <= 2)
            for name in left {
                let data = try Data(contentsOf: segmentsDirectory(directory).appendingPathComponent(name))
                #expect(name.hasSuffix(".zero"))
                #expect(data.count == Self.segmentBytes)
                #expect(data.allSatisfy { $0 == 0 })
            }

            let reopened = try Spool.open(directory: directory, configuration: configuration)
            for (index, receipt) in receipts.enumerated() {
                #expect(try reopened.payload(receipt.id).payload == Data(payload(index).utf8))
            }
            // A few records (what a CLI command writes) neither seal the segment nor take a spare.
            let before = reopened.stats().segments
            let after = try await reopened.accept(sampleMessage("nach dem Neustart"))
            #expect(reopened.stats().segments == before)
            // Once this process has written an eighth of a segment, it moves on to an adopted spare.
            var more: [Receipt] = []
            for index in 0..<12 { more.append(try await reopened.accept(sampleMessage(payload(2000 + index)))) }
            #expect(reopened.stats().segments == before + 1)
            #expect(try fileSize(segment(directory, UInt32(before + 1))) == Self.segmentBytes)
            #expect(try !spares(directory).contains(left[0]))
            try await reopened.close()
            let last = try Spool.open(directory: directory, configuration: configuration)
            #expect(try last.payload(after.id).payload == Data("nach dem Neustart".utf8))
            for (index, receipt) in more.enumerated() {
                #expect(try last.payload(receipt.id).payload == Data(payload(2000 + index).utf8))
            }
            try await last.close()
        }
    }

    /// A copy of an open spool is what a SIGKILL leaves (the bytes written are in the page
    /// cache): the active spare's zeros after the last record are the end of the log.
    @Test func crashCopyWithAPreparedActiveSegmentRecoversEveryMessage() async throws {
        try await withTemporaryDirectory { base in
            let original = base.appendingPathComponent("original")
            let configuration = SpoolConfiguration(segmentBytes: Self.segmentBytes, preparedSegments: 2)
            let spool = try Spool.open(directory: original, configuration: configuration)
            var receipts: [Receipt] = []
            try await acceptUntilActiveIsPrepared(spool, original, into: &receipts)
            let active = UInt32(spool.stats().segments)
            // The segments only: the preparer may be renaming a spare while the copy is made.
            let copy = base.appendingPathComponent("copy")
            try FileManager.default.createDirectory(at: segmentsDirectory(copy), withIntermediateDirectories: true)
            for number in 1...active {
                try FileManager.default.copyItem(at: segment(original, number), to: segment(copy, number))
            }
            try await spool.close()

            #expect(try fileSize(segment(copy, active)) == Self.segmentBytes)
            let events = Mutex<[SpoolEvent]>([])
            let recovered = try Spool.open(directory: copy, configuration: configuration) { event in
                events.withLock { $0.append(event) }
            }
            // A clean end: no torn record to report.
            #expect(events.withLock { $0.filter { $0.level >= .notice }.map(\.message) }.isEmpty)
            #expect(recovered.stats().messages == receipts.count)
            for (index, receipt) in receipts.enumerated() {
                #expect(try recovered.payload(receipt.id).payload == Data(payload(index).utf8))
            }
            #expect(try corruptFiles(copy).isEmpty)
            #expect(try fileSize(segment(copy, active)) < Self.segmentBytes)
            let more = try await recovered.accept(sampleMessage("danach"))
            try await recovered.close()
            let again = try Spool.open(directory: copy, configuration: configuration)
            #expect(try again.payload(more.id).payload == Data("danach".utf8))
            try await again.close()
        }
    }

    /// The last record cut at every byte offset with zeros after it (a crash in the middle of a
    /// write into a spare): every earlier record survives, the cut one is gone, the file ends
    /// at the earlier records and nothing lands in corrupt/. Where the bytes cut off were zeros
    /// anyway, the record is whole again and stays.
    @Test(arguments: ["message", "state"])
    func tornLastRecordBeforeZerosAtEveryOffset(lastKind: String) async throws {
        try await withTemporaryDirectory { base in
            let original = base.appendingPathComponent("original")
            let spool = try Spool.open(directory: original)
            var receipts: [Receipt] = []
            for index in 0..<3 { receipts.append(try await spool.accept(sampleMessage("<n>\(index)</n>", targets: ["a", "b"]))) }
            try await spool.close()
            let before = try fileSize(segment(original, 1))
            let reopened = try Spool.open(directory: original)
            let last: MessageID
            if lastKind == "message" {
                last = try await reopened.accept(sampleMessage("<n>last</n>", targets: ["a"])).id
            } else {
                last = receipts[1].id
                #expect(try await reopened.hold(.ids([last], target: "b")) == 1)
            }
            try await reopened.close()
            let full = try Data(contentsOf: segment(original, 1))
            let zeros = Data(count: 8192)

            for cut in before..<full.count {
                let copy = base.appendingPathComponent("cut-\(cut)")
                try FileManager.default.createDirectory(at: segmentsDirectory(copy), withIntermediateDirectories: true)
                try (full.prefix(cut) + zeros).write(to: segment(copy, 1))
                let whole = full[cut...].allSatisfy { $0 == 0 }
                let recovered = try Spool.open(directory: copy)
                for (index, receipt) in receipts.enumerated() {
                    #expect(try recovered.payload(receipt.id).payload == Data("<n>\(index)</n>".utf8), "cut at \(cut)")
                }
                if lastKind == "message" {
                    #expect(try (recovered.message(last) != nil) == whole, "cut at \(cut)")
                } else {
                    #expect(try recovered.message(last)?.jobs.map(\.state) == (whole ? [.queued, .held] : [.queued, .queued]), "cut at \(cut)")
                }
                #expect(try fileSize(segment(copy, 1)) == (whole ? full.count : before), "cut at \(cut)")
                #expect(try corruptFiles(copy).isEmpty, "cut at \(cut)")
                try await recovered.close()
                try FileManager.default.removeItem(at: copy)
            }
        }
    }

    /// A whole last record that fails its CRC, followed by zeros, is damage: its bytes go to
    /// corrupt/, without the zeros after them.
    @Test func damagedLastRecordBeforeZerosIsKeptWithoutTheZeros() async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            let kept = try await spool.accept(sampleMessage("<n>bleibt</n>"))
            try await spool.close()
            let before = try fileSize(segment(directory, 1))
            let reopened = try Spool.open(directory: directory)
            let damaged = try await reopened.accept(sampleMessage("<n>beschädigt</n>"))
            try await reopened.close()
            var bytes = try Data(contentsOf: segment(directory, 1))
            let recordLength = bytes.count - before
            bytes[before + 20] ^= 0x01
            try (bytes + Data(count: 64 << 10)).write(to: segment(directory, 1))

            let recovered = try Spool.open(directory: directory)
            #expect(try recovered.payload(kept.id).payload == Data("<n>bleibt</n>".utf8))
            #expect(try recovered.message(damaged.id) == nil)
            let corrupt = try corruptFiles(directory)
            #expect(corrupt.count == 1)
            let copied = try Data(contentsOf: directory.appendingPathComponent("corrupt").appendingPathComponent(corrupt[0]))
            #expect(copied.count == recordLength)
            #expect(try fileSize(segment(directory, 1)) == before)
            try await recovered.close()
        }
    }

    /// Zeros at the end of a sealed segment are damage (sealed segments end at their last
    /// record), not an end of the log: they are reported as before.
    @Test func zerosAtTheEndOfASealedSegmentAreReported() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: 1024, preparedSegments: 0)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            for index in 0..<8 { _ = try await spool.accept(sampleMessage(String(repeating: "z", count: 300) + "\(index)")) }
            try await spool.close()
            let first = segment(directory, 1)
            try (try Data(contentsOf: first) + Data(count: 4096)).write(to: first)
            let recovered = try Spool.open(directory: directory, configuration: configuration)
            #expect(try corruptFiles(directory).count == 1)
            #expect(recovered.stats().messages == 8)
            try await recovered.close()
        }
    }

    @Test func leftoverSparesAreAdoptedOnlyWhenComplete() async throws {
        try await withTemporaryDirectory { directory in
            let segments = segmentsDirectory(directory)
            try FileManager.default.createDirectory(at: segments, withIntermediateDirectories: true)
            try Data(count: Self.segmentBytes).write(to: segments.appendingPathComponent("spare-5.zero"))
            try Data(count: 4096).write(to: segments.appendingPathComponent("spare-3.zero"))
            try Data(count: 4096).write(to: segments.appendingPathComponent("spare-99.zero.tmp"))

            let configuration = SpoolConfiguration(segmentBytes: Self.segmentBytes, preparedSegments: 2)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            // Recovery removes unfinished files; a process that has not started preparing (a CLI
            // command) leaves the spare of another size alone.
            let before = try spares(directory)
            #expect(before == ["spare-3.zero", "spare-5.zero"], "found: \(before)")
            // Once it writes an eighth of a segment it prepares spares and deletes that one.
            for index in 0..<8 { _ = try await spool.accept(sampleMessage(payload(index))) }
            let left = try spares(directory)
            #expect(!left.contains("spare-3.zero"), "left: \(left)")
            try await spool.close()

            let without = try Spool.open(directory: directory, configuration: SpoolConfiguration(segmentBytes: Self.segmentBytes, preparedSegments: 0))
            #expect(try spares(directory).isEmpty)
            try await without.close()
        }
    }

    /// A follower (`queue watch`) sees every message written into spares, across rolls.
    @Test func followerReadsPreparedSegments() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: Self.segmentBytes, preparedSegments: 2)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            _ = try await spool.accept(sampleMessage("vorher"))
            let follower = SpoolFollower(directory: directory, pollInterval: .milliseconds(10))
            let stream = try follower.changes()
            // Let the follower read the log as it is before the messages it must report.
            try await Task.sleep(for: .milliseconds(200))
            var receipts: [Receipt] = []
            try await acceptUntilActiveIsPrepared(spool, directory, into: &receipts)
            for index in 0..<20 { receipts.append(try await spool.accept(sampleMessage(payload(1000 + index)))) }
            let expected = Set(receipts.map(\.id))
            var seen = Set<MessageID>()
            for await change in stream {
                if change.newState == .queued, expected.contains(change.messageID) { seen.insert(change.messageID) }
                if seen.count == expected.count { break }
            }
            #expect(seen == expected)
            try await spool.close()
        }
    }
}

/// Sealed segments leave the page cache one roll later, so that a spool writing for hours does
/// not grow the page cache by every byte it writes.
@Suite(.timeLimit(.minutes(1))) struct SegmentCacheTests {
    /// Pages of the file at `path` that are in the page cache.
    private func residentPages(_ path: String) throws -> Int {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var info = stat()
        try #require(fstat(fd, &info) == 0)
        let length = Int(info.st_size)
        guard length > 0 else { return 0 }
        let mapped = try #require(mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, length) }
        let page = Int(getpagesize())
        var vector = [UInt8](repeating: 0, count: (length + page - 1) / page)
        try #require(mincore(mapped, length, &vector) == 0)
        return vector.filter { $0 & 1 != 0 }.count
    }

    @Test func theSegmentBeforeTheLastSealedOneLeavesThePageCache() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: 64 << 10, preparedSegments: 0)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            var receipts: [Receipt] = []
            while spool.stats().segments < 4 {
                receipts.append(try await spool.accept(sampleMessage(String(repeating: "ö", count: 4000) + "\(receipts.count)")))
            }
            let segments = directory.appendingPathComponent("segments")
            let first = segments.appendingPathComponent(SegmentName.file(1)).path
            let third = segments.appendingPathComponent(SegmentName.file(3)).path
            #expect(try residentPages(first) == 0)
            #expect(try residentPages(third) > 0)
            // Dropped from the cache, not from the disk.
            #expect(try spool.payload(receipts[0].id).payload == Data((String(repeating: "ö", count: 4000) + "0").utf8))
            try await spool.close()
        }
    }
}

/// A follower reading the active segment while a write is half done must not skip ahead.
@Suite(.timeLimit(.minutes(1))) struct FollowerRaceTests {
    /// In a spare, a read can see a later record's bytes while an earlier one is still zeros in
    /// part. The follower waits for the gap to be filled instead of searching past it, which
    /// would lose the record in the gap for good.
    @Test func aHalfWrittenRecordBeforeAnIntactOneIsWaitedFor() async throws {
        try await withTemporaryDirectory { base in
            // Three records written by a real spool, to lay out by hand below.
            let source = base.appendingPathComponent("source")
            let spool = try Spool.open(directory: source, configuration: SpoolConfiguration(preparedSegments: 0))
            _ = try await spool.accept(sampleMessage("<n>eins</n>"))
            try await spool.close()
            let afterFirst = try Data(contentsOf: source.appendingPathComponent("segments/000000000001.log"))
            let again = try Spool.open(directory: source, configuration: SpoolConfiguration(preparedSegments: 0))
            let second = try await again.accept(sampleMessage("<n>zwei</n>"))
            let third = try await again.accept(sampleMessage("<n>drei</n>"))
            try await again.close()
            let all = try Data(contentsOf: source.appendingPathComponent("segments/000000000001.log"))

            let watched = base.appendingPathComponent("watched")
            let segment = watched.appendingPathComponent("segments/000000000001.log")
            try FileManager.default.createDirectory(at: watched.appendingPathComponent("segments"), withIntermediateDirectories: true)
            // A spare holding the first record, then zeros.
            try (afterFirst + Data(count: 64 << 10)).write(to: segment)
            let stream = try SpoolFollower(directory: watched, pollInterval: .milliseconds(10)).changes()
            try await Task.sleep(for: .milliseconds(200))

            // The second record's body still zeros, the third already there.
            let secondEnd = all.count - (all.count - afterFirst.count) / 2
            var torn = all
            for index in (afterFirst.count + 12)..<secondEnd { torn[index] = 0 }
            let handle = try FileHandle(forWritingTo: segment)
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: torn)
            try await Task.sleep(for: .milliseconds(200))
            // The gap is filled.
            try handle.seek(toOffset: 0)
            try handle.write(contentsOf: all)
            try handle.close()

            let collecting = Task {
                var seen: [MessageID] = []
                for await change in stream where change.newState == .queued {
                    seen.append(change.messageID)
                    if seen.count == 2 { break }
                }
                return seen
            }
            let deadline = Task {
                try await Task.sleep(for: .seconds(5))
                collecting.cancel()
            }
            let seen = await collecting.value
            deadline.cancel()
            #expect(seen == [second.id, third.id])
        }
    }
}
