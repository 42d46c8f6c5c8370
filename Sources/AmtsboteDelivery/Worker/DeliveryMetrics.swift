import CoreMetrics
import Foundation

/// The delivery metrics of one target, created once when the target's runner starts (no lookup per
/// job). Labelled by target and outcome only, never by message id, so the number of series stays
/// bounded by the number of configured targets.
///
/// - `amtsbote_deliveries_total{target, outcome}`: attempts by outcome (`delivered`, `transient`,
///   `permanent`, `mapping_error`, `expired`).
/// - `amtsbote_delivery_attempt_duration_seconds{target}`: how long one attempt took (the target's
///   response time, or the file write).
/// - `amtsbote_delivery_latency_seconds{target}`: acceptance to delivered, per delivered job.
/// - `amtsbote_delivery_breaker_state{target}`: 0 closed, 1 half-open, 2 open.
package struct DeliveryMetrics: Sendable {
    /// Every value of the `outcome` label.
    package static let outcomes = ["delivered", "transient", "permanent", "mapping_error", "expired"]

    private let counters: [String: Counter]
    private let attemptDuration: CoreMetrics.Timer
    private let latency: CoreMetrics.Timer
    private let breaker: Gauge

    /// - Parameters:
    ///   - target: the target's name (the `target` label).
    ///   - factory: where metrics go; nil = the process-wide `MetricsSystem` (what `amtsbote serve`
    ///     bootstraps with Prometheus). Tests pass their own.
    package init(target: String, factory: (any MetricsFactory)?) {
        let factory = factory ?? MetricsSystem.factory
        var counters: [String: Counter] = [:]
        for outcome in Self.outcomes {
            counters[outcome] = Counter(label: "amtsbote_deliveries_total", dimensions: [("target", target), ("outcome", outcome)], factory: factory)
        }
        self.counters = counters
        attemptDuration = CoreMetrics.Timer(label: "amtsbote_delivery_attempt_duration_seconds", dimensions: [("target", target)], factory: factory)
        latency = CoreMetrics.Timer(label: "amtsbote_delivery_latency_seconds", dimensions: [("target", target)], factory: factory)
        breaker = Gauge(label: "amtsbote_delivery_breaker_state", dimensions: [("target", target)], factory: factory)
    }

    /// One attempt ended with `outcome` (one of `outcomes`) after `duration`.
    package func recordAttempt(outcome: String, duration: Duration) {
        counters[outcome]?.increment()
        let (seconds, attoseconds) = duration.components
        attemptDuration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// A job was delivered `latency` seconds after the spool accepted its message.
    package func recordDelivered(latency seconds: TimeInterval) {
        latency.recordNanoseconds(Int64(max(seconds, 0) * 1e9))
    }

    /// The breaker changed to `state` (`CircuitBreaker.gaugeValue`).
    package func recordBreaker(state: Int) {
        breaker.record(state)
    }
}
