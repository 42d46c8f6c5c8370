import Logging
import Metrics
import Prometheus

/// Process-wide set-up for `amtsbote serve`: the log handler and the metrics backend.
///
/// swift-log and swift-metrics allow one bootstrap per process, so only the executable calls
/// this (tests build their own loggers and pass a fresh `ServerMetrics`).
package enum ProcessBootstrap {
    /// Installs `LogLineHandler` (text or JSON on stderr) and routes swift-metrics (used by the
    /// delivery workers) into `metrics.registry`, so `/metrics` shows both.
    package static func bootstrap(log: LogConfiguration, metrics: ServerMetrics) {
        LoggingSystem.bootstrap { label in
            LogLineHandler(label: label, format: log.format, level: log.level)
        }
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
    }
}
