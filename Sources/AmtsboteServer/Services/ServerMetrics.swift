import AmtsboteSpool
import Prometheus
import Synchronization

/// The server's Prometheus metrics, served at `/metrics`.
///
/// Labels are bounded: rejection reasons are problem slugs, queue depth is labelled by
/// target and state (targets come from the mappings), never by message or client input.
/// The registry is shared with swift-metrics (`serve` bootstraps a `PrometheusMetricsFactory`
/// on it), so the delivery workers' metrics appear on the same page.
package final class ServerMetrics: Sendable {
    /// The registry that `/metrics` renders.
    package let registry: PrometheusCollectorRegistry
    private let accepted: Counter
    private let replayed: Counter
    private let acceptLatency: DurationHistogram
    private let spoolBytes: Gauge
    private let spoolMessages: Gauge
    private let spoolSegments: Gauge
    private let diskFree: Gauge
    /// Queue-depth series set at the previous scrape, so vanished ones are set to 0.
    private let publishedJobSeries = Mutex<Set<SpoolStats.Key>>([])

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.accepted = registry.makeCounter(
            descriptor: .init(namespace: "amtsbote", metricName: "submissions_accepted", unitName: "total", helpText: "Submissions durably accepted (202)")
        )
        self.replayed = registry.makeCounter(
            descriptor: .init(namespace: "amtsbote", metricName: "submissions_replayed", unitName: "total", helpText: "Receipts repeated for a known Idempotency-Key")
        )
        self.acceptLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "amtsbote", metricName: "accept_duration", unitName: "seconds", helpText: "Time from request to durable receipt"),
            buckets: [
                .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
            ]
        )
        self.spoolBytes = registry.makeGauge(descriptor: .init(namespace: "amtsbote", metricName: "spool", unitName: "bytes", helpText: "Bytes of spool segments on disk"))
        self.spoolMessages = registry.makeGauge(descriptor: .init(namespace: "amtsbote", metricName: "spool", unitName: "messages", helpText: "Messages in the spool index"))
        self.spoolSegments = registry.makeGauge(descriptor: .init(namespace: "amtsbote", metricName: "spool", unitName: "segments", helpText: "Segment files in the spool"))
        self.diskFree = registry.makeGauge(descriptor: .init(namespace: "amtsbote", metricName: "disk_free", unitName: "bytes", helpText: "Free bytes on the spool's file system"))
    }

    /// Counts a 202 and its latency.
    package func recordAccepted(latency: Duration) {
        self.accepted.increment()
        self.acceptLatency.record(latency)
    }

    /// Counts a replayed receipt.
    package func recordReplayed() {
        self.replayed.increment()
    }

    /// Counts a refused submission by problem slug (bounded set).
    package func recordRejected(reason: ProblemType) {
        self.registry.makeCounter(
            descriptor: .init(namespace: "amtsbote", metricName: "submissions_rejected", unitName: "total", helpText: "Submissions refused, by reason"),
            labels: [("reason", reason.slug)]
        ).increment()
    }

    /// Counts a mapping reload attempt (`outcome`: loaded, refused).
    package func recordMappingReload(outcome: String) {
        self.registry.makeCounter(
            descriptor: .init(namespace: "amtsbote", metricName: "mapping_reloads", unitName: "total", helpText: "Mapping directory reloads, by outcome"),
            labels: [("outcome", outcome)]
        ).increment()
    }

    /// Updates the sampled gauges and renders the Prometheus text format.
    package func render(stats: SpoolStats, freeDiskBytes: Int?) -> [UInt8] {
        self.spoolBytes.set(Double(stats.bytesOnDisk))
        self.spoolMessages.set(Double(stats.messages))
        self.spoolSegments.set(Double(stats.segments))
        if let freeDiskBytes { self.diskFree.set(Double(freeDiskBytes)) }
        self.publishedJobSeries.withLock { published in
            for key in published where stats.jobs[key] == nil {
                self.jobGauge(key).set(to: 0)
            }
            for (key, count) in stats.jobs {
                self.jobGauge(key).set(Double(count))
                published.insert(key)
            }
        }
        return self.registry.emitToBuffer()
    }

    private func jobGauge(_ key: SpoolStats.Key) -> Gauge {
        self.registry.makeGauge(
            descriptor: .init(namespace: "amtsbote", metricName: "jobs", unitName: "", helpText: "Jobs by target and state"),
            labels: [("target", key.target), ("state", key.state.description)]
        )
    }
}
