import Foundation

extension SpoolIndex {
    /// The operator's and status API's view of one job.
    func snapshot(job index: UInt32) -> JobSnapshot? {
        let job = jobs[Int(index)]
        guard let state = job.state else { return nil }
        let message = messages[Int(job.message)]
        return JobSnapshot(
            messageID: message.id,
            target: targets[job.target],
            state: state,
            attempts: job.attempts,
            receivedAt: Milliseconds.date(message.receivedAt),
            nextAttemptAt: state.isReady ? Milliseconds.date(job.due) : nil,
            lastError: job.attempts.last.flatMap { $0.outcome == .delivered ? nil : $0.error },
            deliveredAt: state == .delivered ? Milliseconds.date(job.changedAt) : nil,
            clientID: clients[message.client]
        )
    }

    /// The live jobs of a message, in target order of the message.
    func jobSnapshots(slot: UInt32) -> [JobSnapshot] {
        let message = messages[Int(slot)]
        return (message.firstJob..<(message.firstJob + UInt32(message.jobCount))).compactMap { snapshot(job: $0) }
    }

    /// Jobs matching target and state, oldest message first. O(n): an operator query, not a hot path.
    func jobSnapshots(target: String?, state: JobState?) -> [JobSnapshot] {
        let targetNumber: UInt32?
        if let target {
            guard let number = targets.number(of: target) else { return [] }
            targetNumber = number
        } else {
            targetNumber = nil
        }
        var result: [JobSnapshot] = []
        for index in jobs.indices {
            let job = jobs[index]
            guard let jobState = job.state, slots[messages[Int(job.message)].id] == job.message else { continue }
            if let targetNumber, job.target != targetNumber { continue }
            if let state, jobState != state { continue }
            if let snapshot = snapshot(job: UInt32(index)) { result.append(snapshot) }
        }
        return result
    }

    /// Targets × states with counts and the oldest message's age. O(n) over jobs.
    func summary(now: Date) -> QueueSummary {
        struct Cell { var count = 0; var oldest = Int64.max }
        var cells: [Int: Cell] = [:]
        for job in jobs {
            guard let state = job.state else { continue }
            let key = Int(job.target) * 8 + Int(state.rawValue)
            var cell = cells[key, default: Cell()]
            cell.count += 1
            cell.oldest = min(cell.oldest, messages[Int(job.message)].receivedAt)
            cells[key] = cell
        }
        let nowMilliseconds = Milliseconds.from(now)
        let rows = cells.map { key, cell in
            QueueSummary.Row(
                target: targets[UInt32(key / 8)],
                state: JobState(rawValue: UInt8(key % 8))!,
                count: cell.count,
                oldestAge: .milliseconds(max(0, nowMilliseconds - cell.oldest))
            )
        }
        .sorted { left, right in
            if !left.target.utf8.elementsEqual(right.target.utf8) {
                return left.target.utf8.lexicographicallyPrecedes(right.target.utf8)
            }
            return left.state.rawValue < right.state.rawValue
        }
        return QueueSummary(rows: rows, now: now)
    }

    /// Live job numbers matching an operator's selection.
    /// - Throws: `.unknownID` naming the first id that is not in the spool.
    func select(_ selection: JobSelection) throws -> [UInt32] {
        let targetNumber: UInt32?
        if let target = selection.target {
            guard let number = targets.number(of: target) else {
                if let ids = selection.ids, let missing = ids.first(where: { slots[$0] == nil }) {
                    throw SpoolError(.unknownID, "no message \(missing) in the spool")
                }
                return []
            }
            targetNumber = number
        } else {
            targetNumber = nil
        }
        func matches(_ index: UInt32) -> Bool {
            let job = jobs[Int(index)]
            guard let state = job.state else { return false }
            if let targetNumber, job.target != targetNumber { return false }
            if let wanted = selection.state, wanted != state { return false }
            return true
        }
        if let ids = selection.ids {
            var result: [UInt32] = []
            for id in ids {
                guard let slot = slots[id] else { throw SpoolError(.unknownID, "no message \(id) in the spool") }
                let message = messages[Int(slot)]
                for job in message.firstJob..<(message.firstJob + UInt32(message.jobCount)) where matches(job) {
                    result.append(job)
                }
            }
            return result
        }
        return (0..<UInt32(jobs.count)).filter { matches($0) && slots[messages[Int(jobs[Int($0)].message)].id] != nil }
    }

    /// Targets with at least one queued or deferred job (due or not).
    func targetsWithWork() -> [String] {
        (0..<UInt32(targets.count)).filter { count(target: $0, state: .queued) + count(target: $0, state: .deferred) > 0 }
            .map { targets[$0] }
    }

    /// Counters per target and state (non-zero cells only).
    func jobCounts() -> [SpoolStats.Key: Int] {
        var result: [SpoolStats.Key: Int] = [:]
        for target in 0..<UInt32(targets.count) {
            for state in JobState.allCases {
                let count = count(target: target, state: state)
                if count > 0 { result[SpoolStats.Key(target: targets[target], state: state)] = count }
            }
        }
        return result
    }

    /// Index changes as `JobChange` values (message id and target name instead of numbers).
    func publicChanges(_ changes: [Change]) -> [JobChange] {
        changes.map { change in
            let job = jobs[Int(change.job)]
            return JobChange(
                messageID: messages[Int(job.message)].id,
                target: targets[job.target],
                oldState: change.old,
                newState: change.new,
                at: Milliseconds.date(change.at)
            )
        }
    }
}
