extension SpoolIndex {
    /// Messages whose every job is final (delivered, dead or deleted) since at most `cutoff` ms:
    /// what `purge` may remove.
    func finishedMessages(before cutoff: Int64) -> [UInt32] {
        var result: [UInt32] = []
        for slot in messages.indices {
            let message = messages[slot]
            guard slots[message.id] == UInt32(slot) else { continue }
            var finishedAt = message.receivedAt
            var finished = true
            for job in jobs[Int(message.firstJob)..<Int(message.firstJob) + Int(message.jobCount)] {
                if let state = job.state, state != .delivered, state != .dead {
                    finished = false
                    break
                }
                finishedAt = max(finishedAt, job.changedAt)
            }
            if finished && finishedAt <= cutoff { result.append(UInt32(slot)) }
        }
        return result
    }

    /// A copy without the messages in `removed`: arrays are rebuilt densely, ready queues are
    /// rebuilt from live jobs. O(n); runs once per purge.
    func removing(_ removed: Set<UInt32>) -> SpoolIndex {
        var copy = SpoolIndex()
        copy.targets = targets
        copy.clients = clients
        copy.heaps = Array(repeating: DueHeap(), count: heaps.count)
        copy.counts = Array(repeating: 0, count: counts.count)
        copy.messages.reserveCapacity(messages.count - removed.count)
        copy.jobs.reserveCapacity(jobs.count)
        for slot in messages.indices where !removed.contains(UInt32(slot)) {
            var message = messages[slot]
            guard slots[message.id] == UInt32(slot) else { continue }
            let newSlot = UInt32(copy.messages.count)
            let first = Int(message.firstJob)
            message.firstJob = UInt32(copy.jobs.count)
            copy.messages.append(message)
            copy.slots.insert(message.id, slot: newSlot)
            if message.keyHash != 0 { copy.addKey(message.keyHash, slot: newSlot) }
            for var job in jobs[first..<first + Int(message.jobCount)] {
                job.message = newSlot
                let number = UInt32(copy.jobs.count)
                if let state = job.state {
                    copy.counts[Int(job.target) * 8 + Int(state.rawValue)] += 1
                    if state.isReady {
                        copy.heaps[Int(job.target)].push(DueHeap.Entry(due: job.due, job: number, generation: job.generation))
                    }
                }
                copy.jobs.append(job)
            }
        }
        return copy
    }
}
