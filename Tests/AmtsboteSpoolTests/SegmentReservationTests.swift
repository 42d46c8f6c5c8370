import Foundation
import Testing

@testable import AmtsboteSpool

#if canImport(Glibc)
import Glibc
#endif

/// The active segment's disk blocks are reserved ahead of its appends, and given back when it is
/// sealed early or the spool closes.
@Suite(.timeLimit(.minutes(1))) struct SegmentReservationTests {
    private static let segmentBytes = 4 << 20
    /// Allocation beyond a file's length that is not a reservation (block rounding, metadata).
    private static let slack = 64 << 10

    /// Bytes of disk a file occupies (blocks allocated, not its length).
    private func allocated(_ path: String) throws -> Int {
        var info = stat()
        try #require(stat(path, &info) == 0)
        return Int(info.st_blocks) * 512
    }

    private func segmentPath(_ directory: URL, _ number: UInt32) -> String {
        directory.appendingPathComponent("segments").appendingPathComponent(SegmentName.file(number)).path
    }

    /// Whether the temporary directory's file system reserves blocks at all (ext4, xfs and tmpfs
    /// do; where it cannot, the spool simply writes without a reservation and there is nothing
    /// to test).
    static let fileSystemReserves: Bool = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-reserve-probe-\(UUID().uuidString)").path
        let fd = open(path, O_CREAT | O_WRONLY, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd); unlink(path) }
        return FileSpace.reserve(fd, from: 0, length: 1 << 20)
    }()

    @Test(.enabled(if: Self.fileSystemReserves, "the temporary directory's file system cannot reserve blocks"))
    func activeSegmentIsReservedAndReleasedWhenSealedOrClosed() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SpoolConfiguration(segmentBytes: Self.segmentBytes)
            let spool = try Spool.open(directory: directory, configuration: configuration)
            let first = try await spool.accept(sampleMessage("<a>eins</a>"))
            let active = segmentPath(directory, 1)
            #expect(try allocated(active) >= Self.segmentBytes)
            // The length still ends at the last record: readers and recovery see no zero tail.
            #expect(try FileSystem.size(active) < 4096)

            // A record that does not fit seals the segment early: its unused reservation goes
            // (it would otherwise stay allocated for as long as the segment lives).
            let big = String(repeating: "x", count: Self.segmentBytes - 16)
            let second = try await spool.accept(sampleMessage(big))
            #expect(spool.stats().segments == 2)
            #expect(try allocated(active) <= FileSystem.size(active) + Self.slack)
            #expect(try allocated(segmentPath(directory, 2)) >= Self.segmentBytes)

            try await spool.close()
            #expect(try allocated(segmentPath(directory, 2)) <= FileSystem.size(segmentPath(directory, 2)) + Self.slack)
            let reopened = try Spool.open(directory: directory, configuration: configuration)
            #expect(try reopened.payload(first.id).payload == Data("<a>eins</a>".utf8))
            #expect(try reopened.payload(second.id).payload == Data(big.utf8))
            try await reopened.close()
        }
    }
}
