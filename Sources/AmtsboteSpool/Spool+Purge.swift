import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Spool {
    /// Removes from the disk every message whose jobs are all final (delivered, dead or
    /// deleted) since at least `age`: the segments holding them are rewritten without them
    /// (new file, fsync, rename, fsync directory) so the citizens' bytes really leave the disk.
    /// One content-free audit line per purged job. Copies in `corrupt/` older than `age` go too.
    ///
    /// - Parameter dryRun: only count what would go.
    package func purge(olderThan age: Duration, dryRun: Bool, now: Date) async throws -> PurgeReport {
        let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
        let cutoff = Milliseconds.from(now.addingTimeInterval(-seconds))
        guard purging.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            throw SpoolError(.invalidArgument, "a purge is already running")
        }
        defer { purging.store(false, ordering: .releasing) }
        let corruptCopies = try purgeCorruptCopies(before: now.addingTimeInterval(-seconds), dryRun: dryRun, now: now)

        // 1. Choose, and (unless dry run) drop from the index: from here on they are gone for
        //    everyone; a crash before the rewrite only brings them back for the next purge.
        struct Chosen { var id: MessageID; var location: RecordLocation; var targets: [String] }
        let (chosen, jobCount, active): ([Chosen], Int, UInt32) = try state.withLock { state in
            guard !state.isClosed else { throw SpoolError(.closed, "the spool is closed") }
            let slots = state.index.finishedMessages(before: cutoff)
            var chosen: [Chosen] = []
            var jobs = 0
            for slot in slots {
                let message = state.index.messages[Int(slot)]
                let range = Int(message.firstJob)..<Int(message.firstJob) + Int(message.jobCount)
                let targets = state.index.jobs[range].map { state.index.targets[$0.target] }
                jobs += range.count
                chosen.append(Chosen(id: message.id, location: message.location, targets: targets))
            }
            if !dryRun && !slots.isEmpty { state.index = state.index.removing(Set(slots)) }
            return (chosen, jobs, state.activeSegment)
        }
        let recordBytes = chosen.reduce(Int64(0)) { $0 + Int64($1.location.length) }
        if dryRun || chosen.isEmpty {
            return PurgeReport(
                messages: chosen.count,
                jobs: jobCount,
                bytesReclaimed: recordBytes,
                segmentsRewritten: 0,
                corruptCopiesRemoved: corruptCopies,
                dryRun: dryRun
            )
        }

        // 2. Records in the active segment: seal it first, so only sealed segments are rewritten.
        if chosen.contains(where: { $0.location.segment == active }) {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                do {
                    try commits.enqueue(CommitQueue.Entry(work: .roll, message: nil, audit: nil) { result in
                        continuation.resume(with: result.map { _ in () })
                    })
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }

        // 3. Audit first (one content-free line per purged job, flushed): a crash after this
        //    leaves the bytes for the next purge, never a purge without its audit line.
        let at = Milliseconds.from(now)
        audit.append(chosen.flatMap { message in
            message.targets.map { AuditLog.line(at: at, id: message.id, target: $0, outcome: "purged") }
        })
        try audit.sync()

        // 4. Rewrite each affected segment without purged messages and without state records
        //    about messages that no longer exist.
        var reclaimed: Int64 = 0
        let segments = Set(chosen.map(\.location.segment)).sorted()
        for segment in segments {
            reclaimed += try rewrite(segment: segment)
        }

        events(SpoolEvent(.info, "Purged finished messages", [
            "amtsbote.spool.messages": String(chosen.count),
            "amtsbote.spool.segments": String(segments.count),
        ]))
        return PurgeReport(
            messages: chosen.count,
            jobs: jobCount,
            bytesReclaimed: reclaimed,
            segmentsRewritten: segments.count,
            corruptCopiesRemoved: corruptCopies,
            dryRun: false
        )
    }

    /// Rewrites a sealed segment keeping only records about messages still in the index.
    /// Returns the bytes given back.
    private func rewrite(segment: UInt32) throws -> Int64 {
        let path = segmentsPath + "/" + SegmentName.file(segment)
        let temporary = path + ".tmp"
        let live: Set<MessageID> = state.withLock { Set($0.index.messages.map(\.id)) }
        var kept: [UInt8] = []
        var moved: [(MessageID, RecordLocation)] = []
        let scanner = SegmentScanner(corruptDirectory: directory.path + "/corrupt", events: events)
        let oldSize = try scanner.scan(path: path, number: segment, isLast: false) { kind, record, _ in
            let id = try Self.messageID(of: record)
            guard live.contains(id) else { return }
            if kind == .message {
                moved.append((id, RecordLocation(segment: segment, offset: UInt32(kept.count), length: UInt32(record.count))))
            }
            kept.append(contentsOf: record)
        }
        _ = oldSize
        let before = try FileSystem.size(path)

        if kept.isEmpty {
            try state.withLock { state in
                if unlink(path) != 0 { throw SpoolError.io("unlink", path: path, errno: errno) }
                state.files.removeValue(forKey: segment)
                state.segmentSizes.removeValue(forKey: segment)
            }
            try FileSystem.syncDirectory(segmentsPath)
            return Int64(before)
        }

        let fd = try FileSystem.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try kept.withUnsafeBytes { try FileSystem.writeAll(fd, $0, at: 0, path: temporary) }
            if fsync(fd) != 0 { throw SpoolError.io("fsync", path: temporary, errno: errno) }
            Glibc.close(fd)
        } catch {
            Glibc.close(fd)
            unlink(temporary)
            throw error
        }
        // Rename and re-point the index under the lock, so no reader pairs an old offset with the new file.
        try state.withLock { state in
            if rename(temporary, path) != 0 { throw SpoolError.io("rename", path: temporary, errno: errno) }
            state.files.removeValue(forKey: segment)
            for (id, location) in moved {
                if let slot = state.index.slots[id] { state.index.relocate(slot: slot, to: location) }
            }
            state.segmentSizes[segment] = kept.count
        }
        try FileSystem.syncDirectory(segmentsPath)
        return Int64(before - kept.count)
    }

    /// Message records and state records both start their body with the message id.
    private static func messageID(of record: UnsafeRawBufferPointer) throws -> MessageID {
        let offset = record[RecordFrame.headerBytes] == RecordKind.message.rawValue ? MessageRecord.prefixBytes : RecordFrame.headerBytes + 1
        var reader = ByteReader(record, position: offset)
        return try reader.id()
    }
}
