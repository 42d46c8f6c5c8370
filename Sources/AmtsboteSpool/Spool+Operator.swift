import Foundation

extension Spool {
    /// Holds queued and deferred jobs (others are left alone); returns how many changed.
    /// - Throws: `.unknownID` if a selected id is not in the spool.
    package func hold(_ selection: JobSelection) async throws -> Int {
        try await change(selection) { index, job, state, id, target, now in
            guard state.isReady else { return nil }
            return (StateRecord(kind: .held, messageID: id, target: target, atMilliseconds: now), nil)
        }
    }

    /// Returns held jobs to the state they were held from (due time and backoff step unchanged:
    /// holding is a pause, not a fresh start).
    package func release(_ selection: JobSelection) async throws -> Int {
        try await change(selection) { index, job, state, id, target, now in
            guard state == .held else { return nil }
            let back = index.jobs[Int(job)].heldFrom
            return (StateRecord(kind: .released, messageID: id, target: target, atMilliseconds: now, state: back), nil)
        }
    }

    /// Queues held, deferred and dead jobs again, due now (a dead job is mapped afresh when delivered).
    /// The `routed` record also starts the job's backoff over (`SpoolIndex.apply`).
    package func retry(_ selection: JobSelection) async throws -> Int {
        try await change(selection) { index, job, state, id, target, now in
            guard state == .held || state == .deferred || state == .dead else { return nil }
            return (StateRecord(kind: .routed, messageID: id, target: target, atMilliseconds: now, dueMilliseconds: now), nil)
        }
    }

    /// Deletes jobs in any state. A job being delivered is deleted too; its worker's `finish`
    /// then changes nothing. The bytes leave the disk at the next `purge`.
    package func delete(_ selection: JobSelection) async throws -> Int {
        try await change(selection) { index, job, state, id, target, now in
            (
                StateRecord(kind: .deleted, messageID: id, target: target, atMilliseconds: now),
                AuditLog.line(at: now, id: id, target: target, outcome: "deleted")
            )
        }
    }

    /// Runs `decide` for each selected job and commits the records it returns.
    private func change(
        _ selection: JobSelection,
        decide: (SpoolIndex, UInt32, JobState, MessageID, String, Int64) -> (StateRecord, String?)?
    ) async throws -> Int {
        try await commitState { index, now in
            var records: [(StateRecord, audit: String?)] = []
            for job in try index.select(selection) {
                let entry = index.jobs[Int(job)]
                guard let state = entry.state else { continue }
                let id = index.messages[Int(entry.message)].id
                if let record = decide(index, job, state, id, index.targets[entry.target], now) {
                    records.append((record.0, audit: record.1))
                }
            }
            return (records, records.count)
        }
    }
}
