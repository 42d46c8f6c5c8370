import AmtsboteMapping
import AmtsboteSpool
import Foundation
import Logging

extension TargetRunner {
    /// Why a job could not be turned into something to send.
    enum PreparationFailure: Error {
        /// The mapping (or parsing the stored submission) failed: dead, `queue retry` after the fix.
        case mapping(String)
        /// The stored message is unreadable for good (CRC mismatch): dead.
        case unreadable(String)
        /// Reading the message failed for now (I/O error): retry later.
        case readFailed(String)
        /// The message was deleted by an operator meanwhile: nothing to do.
        case gone
    }

    /// Delivers one claimed job and records the attempt: lifetime check, mapping with the current
    /// mapping set, send, classify, then `finish` with delivered / deferred / dead.
    ///
    /// - Parameter answered: called once, right after the target answered (or the send failed),
    ///   before the result is recorded; not called when nothing was sent.
    func deliver(_ job: ClaimedJob, isProbe: Bool, answered: () -> Void = {}) async {
        let started = Date()
        let clock = ContinuousClock()
        let startInstant = clock.now

        let item: DeliveryItem
        let expiry: Date
        do {
            let (envelope, stored) = try readMessage(job)
            let window = lifetimeWindow(job, envelope: envelope)
            expiry = window.expiry
            guard started < expiry || window.justRetried else {
                releaseProbe(isProbe, now: started)
                let reason = "lifetime of \(ConfigDuration.format(configuration.lifetime)) expired"
                await record(job, Attempt(at: started, outcome: .expired, error: reason), .dead, metricsOutcome: "expired")
                return
            }
            item = try prepare(job, envelope: envelope, stored: stored)
        } catch {
            releaseProbe(isProbe, now: started)
            let duration = clock.now - startInstant
            switch error {
            case .mapping(let reason):
                let attempt = Attempt(at: started, outcome: .mappingError, error: reason, duration: duration)
                await record(job, attempt, .dead, metricsOutcome: "mapping_error")
            case .unreadable(let reason):
                let attempt = Attempt(at: started, outcome: .permanentFailure, error: reason, duration: duration)
                await record(job, attempt, .dead, metricsOutcome: "permanent")
            case .readFailed(let reason):
                let next = nextAttemptDate(job, now: Date(), retryAfter: nil, expiry: job.receivedAt + configuration.lifetime)
                let attempt = Attempt(at: started, outcome: .transientFailure, error: reason, duration: duration, nextAttemptAt: next)
                await record(job, attempt, .deferred(until: next), metricsOutcome: "transient")
            case .gone:
                log(.debug, "Job's message is gone; nothing to deliver", job)
            }
            return
        }

        let result = await sender.send(item)
        let duration = clock.now - startInstant
        let now = Date()
        // The breaker hears the outcome before the slot is freed: otherwise the next claim could
        // go out to a target whose breaker this very failure is about to open.
        switch result {
        case .delivered, .permanent:
            breakerSaw(success: true, isProbe: isProbe, now: now)
        case .transient:
            if !Task.isCancelled { breakerSaw(success: false, isProbe: isProbe, now: now) }
        }
        answered()
        switch result {
        case .delivered(let status):
            metrics.recordDelivered(latency: now.timeIntervalSince(job.receivedAt))
            let attempt = Attempt(at: started, outcome: .delivered, status: status, duration: duration)
            await record(job, attempt, .delivered, metricsOutcome: "delivered")
        case .permanent(let status, let reason):
            // The target is up; it refused this job. Retrying cannot help.
            let attempt = Attempt(at: started, outcome: .permanentFailure, status: status, error: reason, duration: duration)
            await record(job, attempt, .dead, metricsOutcome: "permanent")
        case .transient(let status, let reason, let retryAfter):
            if Task.isCancelled {
                // Shutdown cut the request short: not the target's fault. The job stays
                // `delivering` and the spool's recovery queues it again at the next start.
                log(.info, "Delivery interrupted by shutdown", job)
                return
            }
            let next = nextAttemptDate(job, now: now, retryAfter: retryAfter, expiry: expiry)
            let attempt = Attempt(at: started, outcome: .transientFailure, status: status, error: reason, duration: duration, nextAttemptAt: next)
            await record(job, attempt, .deferred(until: next), metricsOutcome: "transient")
        }
    }

    /// Reads the message (envelope, job history, payload) from the spool in one read.
    func readMessage(_ job: ClaimedJob) throws(PreparationFailure) -> (MessageSnapshot, MessagePayload) {
        do {
            guard let message = try spool.messageWithPayload(job.messageID) else { throw PreparationFailure.gone }
            return message
        } catch let failure as PreparationFailure {
            throw failure
        } catch {
            throw Self.failure(reading: error)
        }
    }

    /// When the job's lifetime ends, and whether an operator just retried it.
    ///
    /// The lifetime counts from acceptance; a job that died (expired, refused, mapping error) and
    /// was put back by `queue retry` gets a new lifetime counted from its death, and always at
    /// least this one attempt, so retrying an old job after fixing its mapping is not undone by the
    /// lifetime check before it was even tried.
    func lifetimeWindow(_ job: ClaimedJob, envelope: MessageSnapshot) -> (expiry: Date, justRetried: Bool) {
        let attempts = envelope.jobs.first { $0.target == target }?.attempts ?? []
        let terminal: Set<Attempt.Outcome> = [.expired, .permanentFailure, .mappingError]
        let lastDeath = attempts.last { terminal.contains($0.outcome) }?.at
        let start = max(job.receivedAt, lastDeath ?? job.receivedAt)
        return (start + configuration.lifetime, attempts.last.map { terminal.contains($0.outcome) } ?? false)
    }

    /// Maps the stored submission with the mapping set in use now.
    func prepare(_ job: ClaimedJob, envelope: MessageSnapshot, stored: MessagePayload) throws(PreparationFailure) -> DeliveryItem {
        let mapped: MappedDocument
        do {
            let document = try SourceDocument.parse(stored.payload, contentType: envelope.contentType)
            let attachments = stored.attachments.map {
                MappingAttachment(name: $0.filename ?? $0.name, contentType: $0.contentType, data: $0.data)
            }
            mapped = try mappings.current.map(target: target, document: document, formID: envelope.formID, attachments: attachments)
        } catch let error as MappingError {
            throw .mapping(error.description)
        } catch let error as DocumentError {
            throw .mapping("stored submission cannot be parsed: \(error.description)")
        } catch {
            throw .mapping("mapping failed: \(type(of: error))")
        }
        return DeliveryItem(
            messageID: job.messageID.description,
            target: target,
            formID: envelope.formID,
            receivedAt: job.receivedAt,
            document: OutgoingDocument(
                body: mapped.body,
                contentType: mapped.contentType,
                fileExtension: mapped.fileExtension,
                parts: mapped.parts.map { .init(name: "attachment", filename: $0.name, contentType: $0.contentType, data: $0.data) }
            )
        )
    }

    /// Backoff (with `Retry-After` as a floor), never beyond the job's lifetime: at the expiry the
    /// job is claimed once more and turned `dead`.
    ///
    /// The step counts the failures since the operator last retried the job (this one included),
    /// not all attempts: after `queue retry` a still-failing target is tried again after the
    /// initial delay, not after the cap the earlier failures had reached.
    func nextAttemptDate(_ job: ClaimedJob, now: Date, retryAfter: TimeInterval?, expiry: Date) -> Date {
        let delay = configuration.retry.delay(afterFailures: job.failuresSinceRetry + 1, retryAfter: retryAfter)
        return max(now, min(now + delay, expiry))
    }

    /// Sorts a spool read error: deleted meanwhile, unreadable for good, or worth a retry.
    private static func failure(reading error: any Error) -> PreparationFailure {
        guard let error = error as? SpoolError else { return .readFailed("cannot read stored message") }
        if error.code == .unknownID { return .gone }
        if error.code == .corrupt { return .unreadable("stored message is unreadable (\(error.code))") }
        return .readFailed("cannot read stored message (\(error.code))")
    }

    /// Feeds an attempt's outcome to the breaker and publishes a state change.
    private func breakerSaw(success: Bool, isProbe: Bool, now: Date) {
        let (before, after) = breaker.withLock { breaker -> (Int, Int) in
            let before = breaker.gaugeValue
            if success { breaker.recordSuccess() } else { breaker.recordTransientFailure(now: now, isProbe: isProbe) }
            return (before, breaker.gaugeValue)
        }
        if before != after || (isProbe && !success) { noteBreakerChange() }
    }

    /// A probe that was claimed but not sent (mapping error, expired, gone) lets the next job probe.
    private func releaseProbe(_ isProbe: Bool, now: Date) {
        guard isProbe else { return }
        breaker.withLock { $0.recordProbeNotSent(now: now) }
    }

    /// Appends the attempt and the job's new state to the spool, and counts it.
    private func record(_ job: ClaimedJob, _ attempt: Attempt, _ result: DeliveryResult, metricsOutcome: String) async {
        metrics.recordAttempt(outcome: metricsOutcome, duration: attempt.duration)
        let level: Logger.Level
        let message: Logger.Message
        switch result {
        case .delivered: (level, message) = (.debug, "Job delivered")
        case .deferred: (level, message) = (.info, "Job deferred")
        case .dead: (level, message) = (.warning, "Job dead")
        }
        log(level, message, job) {
            var metadata: Logger.Metadata = ["amtsbote.outcome": .string(metricsOutcome)]
            if let status = attempt.status { metadata["amtsbote.http.status"] = .stringConvertible(status) }
            if let error = attempt.error { metadata["amtsbote.error"] = .string(error) }
            if case .deferred(let until) = result { metadata["amtsbote.next_attempt"] = .string(until.formatted(.iso8601)) }
            return metadata
        }
        do {
            try await spool.finish(job, attempt: attempt, result: result)
        } catch {
            // The job stays `delivering` in this process; the spool's recovery queues it again at
            // the next start (at-least-once, same idempotency key).
            log(.error, "Cannot record delivery result", job) { ["amtsbote.error": .string(String(describing: error))] }
        }
    }

    /// Logs with the job's ids as metadata; builds nothing when the level is off (this runs for
    /// every delivery).
    private func log(_ level: Logger.Level, _ message: Logger.Message, _ job: ClaimedJob, _ extra: () -> Logger.Metadata = { [:] }) {
        guard logger.logLevel <= level else { return }
        var metadata = extra()
        metadata["amtsbote.message.id"] = .string(job.messageID.description)
        metadata["amtsbote.attempt"] = .stringConvertible(job.previousAttempts + 1)
        logger.log(level: level, message, metadata: metadata)
    }
}
