import Foundation

extension Spool {
    /// Takes the earliest queued or deferred job of `target` that is due at `now` and marks it
    /// `delivering`. O(log n). The claim is not written to the log: after a crash the job is
    /// simply queued again (at-least-once, with the same idempotency key).
    package func claimNextDue(target: String, now: Date = Date()) -> ClaimedJob? {
        let listening = hub.hasSubscribers
        let claimed: (ClaimedJob, [JobChange])? = state.withLock { state in
            guard !state.isClosed, let number = state.index.targets.number(of: target),
                let (job, change) = state.index.claim(target: number, now: Milliseconds.from(now))
            else { return nil }
            let entry = state.index.jobs[Int(job)]
            let message = state.index.messages[Int(entry.message)]
            let claimed = ClaimedJob(
                messageID: message.id,
                target: target,
                receivedAt: Milliseconds.date(message.receivedAt),
                previousAttempts: entry.attempts.count,
                failuresSinceRetry: Int(entry.failuresSinceRetry),
                clientID: state.index.clients[message.client],
                claimToken: entry.generation
            )
            return (claimed, listening ? publish([change], index: state.index) : [])
        }
        guard let claimed else { return nil }
        hub.publish(claimed.1)
        return claimed.0
    }

    /// When the next job of `target` becomes due (nil: nothing queued or deferred).
    package func nextDueDate(target: String) -> Date? {
        state.withLock { state in
            guard let number = state.index.targets.number(of: target) else { return nil }
            return state.index.nextDue(target: number).map(Milliseconds.date)
        }
    }

    /// Targets with queued or deferred jobs (due now or later).
    package func targetsWithWork() -> [String] {
        state.withLock { $0.index.targetsWithWork() }
    }

    /// Records an attempt and its result for a claimed job and waits until both are durable.
    ///
    /// A stale claim (the job was deleted by an operator meanwhile) changes nothing and does
    /// not throw: the worker has nothing left to do for it.
    /// - Throws: `.diskFull`/`.writeFailed` if the records could not be written, `.closed`.
    package func finish(_ job: ClaimedJob, attempt: Attempt, result: DeliveryResult) async throws {
        var attempt = attempt
        if let error = attempt.error { attempt.error = Self.cut(error, to: configuration.maxErrorBytes) }
        let stored = attempt
        try await commitState { index, now in
            guard let number = index.job(id: job.messageID, target: job.target),
                index.jobs[Int(number)].state == .delivering,
                index.jobs[Int(number)].generation == job.claimToken
            else { return ([], ()) }
            let at = Milliseconds.from(stored.at)
            let attemptRecord = StateRecord(
                kind: .attempt, messageID: job.messageID, target: job.target, atMilliseconds: at, attempt: stored
            )
            let outcome: StateRecord
            var audit: String?
            switch result {
            case .delivered:
                outcome = StateRecord(kind: .delivered, messageID: job.messageID, target: job.target, atMilliseconds: now)
                audit = AuditLog.line(at: now, id: job.messageID, target: job.target, outcome: "delivered")
            case .deferred(let until):
                outcome = StateRecord(
                    kind: .deferred, messageID: job.messageID, target: job.target, atMilliseconds: now,
                    dueMilliseconds: Milliseconds.from(until)
                )
            case .dead:
                outcome = StateRecord(kind: .dead, messageID: job.messageID, target: job.target, atMilliseconds: now)
                audit = AuditLog.line(at: now, id: job.messageID, target: job.target, outcome: "dead")
            }
            return ([(attemptRecord, nil), (outcome, audit)], ())
        }
    }

    /// Cuts `text` to at most `limit` UTF-8 bytes on a character boundary.
    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        var bytes = 0
        for character in text {
            let size = character.utf8.count
            if bytes + size > limit { break }
            result.append(character)
            bytes += size
        }
        return result
    }
}
