import AmtsboteMapping
import AmtsboteSpool
import Foundation
import Logging
import Synchronization

/// Delivers the jobs of one target: one dispatcher that claims due jobs from the target's ready
/// queue in the spool and runs up to `concurrency` deliveries at once, behind the target's own
/// circuit breaker.
///
/// The dispatcher never polls: when there is nothing to claim (queue empty, next job not yet due,
/// all slots busy, breaker open) it sleeps on its `Doorbell` until the next due date or the breaker's
/// pause ends, and is woken early by the spool's change stream (new job, operator retry/release), a
/// finished delivery or shutdown. Each target has its own runner, slots and breaker, so a target that
/// hangs or fails only ever occupies its own workers.
package final class TargetRunner: Sendable {
    package let target: String
    package let configuration: TargetConfiguration
    let sender: any TargetSender
    let spool: Spool
    let mappings: MappingStore
    let logger: Logger
    let metrics: DeliveryMetrics
    /// Rung by the change stream, by finished deliveries and on shutdown.
    package let doorbell = Doorbell()
    let breaker: Mutex<CircuitBreaker>
    /// Requests to the target in flight: what `concurrency` limits (the target's load).
    private let inFlight = Atomic<Int>(0)
    /// Jobs claimed and not yet recorded (sending, or waiting for the spool to make the result
    /// durable). Bounded separately, so recording never holds a slot the target could use.
    private let unfinished = Atomic<Int>(0)

    /// How many jobs may wait for their result to become durable, per allowed request.
    static let recordingBacklogPerSlot = 4

    /// Longest a dispatcher sleeps without re-checking its queue. The change stream normally wakes
    /// it; this only bounds the delay if a change was dropped by the bounded stream under a burst.
    static let idleRecheck: TimeInterval = 5

    package init(
        target: String,
        configuration: TargetConfiguration,
        sender: any TargetSender,
        spool: Spool,
        mappings: MappingStore,
        logger: Logger,
        metrics: DeliveryMetrics
    ) {
        self.target = target
        self.configuration = configuration
        self.sender = sender
        self.spool = spool
        self.mappings = mappings
        var logger = logger
        logger[metadataKey: "amtsbote.target"] = .string(target)
        self.logger = logger
        self.metrics = metrics
        self.breaker = Mutex(CircuitBreaker(configuration: configuration.breaker))
        metrics.recordBreaker(state: 0)
    }

    /// Runs until `stop` is set (or the task is cancelled), then waits for deliveries in flight;
    /// each is bounded by the target's timeout.
    package func run(stop: StopFlag) async {
        await withDiscardingTaskGroup { group in
            while !stop.isSet, !Task.isCancelled {
                if inFlight.load(ordering: .acquiring) >= configuration.concurrency
                    || unfinished.load(ordering: .acquiring) >= configuration.concurrency * Self.recordingBacklogPerSlot
                {
                    await doorbell.wait(until: Date() + Self.idleRecheck)
                    continue
                }
                let now = Date()
                let permission = breaker.withLock { $0.permission(now: now) }
                let isProbe: Bool
                switch permission {
                case .wait(let until):
                    await doorbell.wait(until: min(until ?? .distantFuture, now + Self.idleRecheck))
                    continue
                case .probe:
                    isProbe = true
                case .send:
                    isProbe = false
                }
                guard let job = spool.claimNextDue(target: target, now: now) else {
                    if isProbe { breaker.withLock { $0.recordProbeNotSent(now: now) } }
                    await waitForWork(now: now)
                    continue
                }
                if isProbe { noteBreakerChange() }  // half-open, with a job to probe
                inFlight.add(1, ordering: .acquiringAndReleasing)
                unfinished.add(1, ordering: .acquiringAndReleasing)
                group.addTask {
                    var slotReleased = false
                    // The slot is free as soon as the target has answered; recording the result
                    // (waiting for the group commit) goes on without blocking the next request.
                    await self.deliver(job, isProbe: isProbe) {
                        slotReleased = true
                        self.inFlight.subtract(1, ordering: .acquiringAndReleasing)
                        self.doorbell.ring()
                    }
                    if !slotReleased { self.inFlight.subtract(1, ordering: .acquiringAndReleasing) }
                    self.unfinished.subtract(1, ordering: .acquiringAndReleasing)
                    self.doorbell.ring()
                }
            }
        }
    }

    /// Sleeps until the next job is due (or a change rings the doorbell).
    private func waitForWork(now: Date) async {
        let nextDue = spool.nextDueDate(target: target)
        var deadline = min(nextDue ?? .distantFuture, now + Self.idleRecheck)
        // A due job that could not be claimed means the spool is closing: do not spin.
        if deadline <= now { deadline = now + 0.05 }
        await doorbell.wait(until: deadline)
    }

    /// Publishes the breaker state to metrics and logs a change an operator should know about.
    func noteBreakerChange() {
        let (gauge, name, state) = breaker.withLock { ($0.gaugeValue, $0.stateName, $0.state) }
        metrics.recordBreaker(state: gauge)
        var metadata: Logger.Metadata = ["amtsbote.breaker.state": .string(name)]
        if case .open(let until, let openings) = state {
            metadata["amtsbote.breaker.until"] = .string(until.formatted(.iso8601))
            metadata["amtsbote.breaker.openings"] = .stringConvertible(openings)
            logger.warning("Target circuit breaker opened", metadata: metadata)
        } else {
            logger.info("Target circuit breaker changed", metadata: metadata)
        }
    }
}
