import Foundation
import Synchronization
import Testing

@testable import AmtsboteSpool

@Suite(.timeLimit(.minutes(3))) struct RecoveryTests {
    private func segment(_ directory: URL, _ number: UInt32 = 1) -> URL {
        directory.appendingPathComponent("segments").appendingPathComponent(SegmentName.file(number))
    }

    private func fileSize(_ url: URL) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
    }

    private func corruptFiles(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("corrupt").path).sorted()
    }

    /// The last record is cut at every byte offset: the spool opens, every earlier record is
    /// intact, the cut record is gone, nothing lands in corrupt/, and the spool takes new messages.
    @Test(arguments: ["message", "state"])
    func tornLastRecordAtEveryOffset(lastKind: String) async throws {
        try await withTemporaryDirectory { base in
            let original = base.appendingPathComponent("original")
            let spool = try Spool.open(directory: original)
            var receipts: [Receipt] = []
            for index in 0..<4 { receipts.append(try await spool.accept(sampleMessage("<n>\(index)</n>", targets: ["a", "b"]))) }
            _ = try await spool.hold(.ids([receipts[0].id], target: "a"))
            try await spool.close()
            let before = try fileSize(segment(original))

            let reopened = try Spool.open(directory: original)
            let last: MessageID
            if lastKind == "message" {
                last = try await reopened.accept(sampleMessage("<n>last</n>", targets: ["a"])).id
            } else {
                last = receipts[1].id
                #expect(try await reopened.hold(.ids([last], target: "b")) == 1)
            }
            try await reopened.close()
            let full = try Data(contentsOf: segment(original))
            #expect(full.count > before)

            for cut in before..<full.count {
                let copy = base.appendingPathComponent("cut-\(cut)")
                try FileManager.default.createDirectory(at: copy.appendingPathComponent("segments"), withIntermediateDirectories: true)
                try full.prefix(cut).write(to: segment(copy))
                let recovered = try Spool.open(directory: copy)
                for (index, receipt) in receipts.enumerated() {
                    #expect(try recovered.payload(receipt.id).payload == Data("<n>\(index)</n>".utf8), "cut at \(cut)")
                }
                #expect(try recovered.message(receipts[0].id)?.jobs.map(\.state) == [.held, .queued])
                if lastKind == "message" {
                    #expect(try recovered.message(last) == nil, "cut at \(cut)")
                } else {
                    #expect(try recovered.message(last)?.jobs.map(\.state) == [.queued, .queued], "cut at \(cut)")
                }
                #expect(try fileSize(segment(copy)) == before, "torn tail cut off at \(cut)")
                #expect(try corruptFiles(copy).isEmpty)
                _ = try await recovered.accept(sampleMessage("after", targets: ["a"]))
                try await recovered.close()
                try FileManager.default.removeItem(at: copy)
            }
        }
    }

    private final class EventLog: Sendable {
        let events = Mutex<[SpoolEvent]>([])
        var sink: SpoolEventSink { { event in self.events.withLock { $0.append(event) } } }
    }

    /// Damaged bytes in the middle of a segment go to corrupt/ with a log line naming segment
    /// and offset; the records after them survive.
    @Test(arguments: ["flip", "insert"])
    func garbageMidSegmentGoesToCorrupt(damage: String) async throws {
        try await withTemporaryDirectory { directory in
            let spool = try Spool.open(directory: directory)
            var receipts: [Receipt] = []
            for index in 0..<10 { receipts.append(try await spool.accept(sampleMessage("<n>\(index)</n>", targets: ["a"]))) }
            let offsets = spool.state.withLock { state in
                receipts.map { Int(state.index.messages[Int(state.index.slots[$0.id]!)].location.offset) }
            }
            try await spool.close()
            var bytes = try Data(contentsOf: segment(directory))
            let damagedOffset = offsets[5]
            if damage == "flip" {
                bytes[damagedOffset + 40] ^= 0x20
            } else {
                bytes.insert(contentsOf: (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }, at: damagedOffset)
            }
            try bytes.write(to: segment(directory))

            let log = EventLog()
            let recovered = try Spool.open(directory: directory, events: log.sink)
            for (index, receipt) in receipts.enumerated() where !(damage == "flip" && index == 5) {
                #expect(try recovered.payload(receipt.id).payload == Data("<n>\(index)</n>".utf8))
            }
            if damage == "flip" { #expect(try recovered.message(receipts[5].id) == nil) }
            let corrupt = try corruptFiles(directory)
            #expect(corrupt == ["000000000001-\(damagedOffset).bin"])
            let kept = try Data(contentsOf: directory.appendingPathComponent("corrupt").appendingPathComponent(corrupt[0]))
            let expectedLength = damage == "flip" ? offsets[6] - offsets[5] : 100
            #expect(kept == bytes[damagedOffset..<(damagedOffset + expectedLength)])
            let warnings = log.events.withLock { $0.filter { $0.level == .warning } }
            #expect(warnings.count == 1)
            #expect(warnings.first?.metadata["amtsbote.spool.segment"] == "000000000001.log")
            #expect(warnings.first?.metadata["amtsbote.spool.offset"] == String(damagedOffset))
            // New messages go after the good records; a second start-up finds the same, once.
            let late = try await recovered.accept(sampleMessage("late"))
            try await recovered.close()
            let again = try Spool.open(directory: directory)
            #expect(try again.payload(late.id).payload == Data("late".utf8))
            #expect(try corruptFiles(directory).count == 1)
            try await again.close()
        }
    }

    /// A sealed segment with unreadable bytes at its end keeps them in corrupt/ (only the active
    /// segment may have a torn tail).
    @Test func damagedEndOfSealedSegmentIsKept() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: 1024)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            var receipts: [Receipt] = []
            for index in 0..<12 { receipts.append(try await spool.accept(sampleMessage(String(repeating: "z", count: 200) + "\(index)"))) }
            try await spool.close()
            let first = segment(directory, 1)
            var bytes = try Data(contentsOf: first)
            bytes.removeLast(7)
            try bytes.write(to: first)
            let recovered = try Spool.open(directory: directory, configuration: configuration)
            #expect(try corruptFiles(directory).count == 1)
            #expect(recovered.stats().messages == 11)
            try await recovered.close()
        }
    }
}
