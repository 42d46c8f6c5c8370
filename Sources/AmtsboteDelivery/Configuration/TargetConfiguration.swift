import Foundation

/// Everything Amtsbote needs to deliver jobs to one target (one department system).
///
/// Decoded from one entry of the `targets:` section of config/amtsbote.yaml (see docs/targets.md):
/// ```yaml
/// targets:
///   gewerbeamt:
///     kind: http
///     url: https://gewerbe.example.local/api/anmeldungen
///     auth: { type: bearer, tokenEnv: GEWERBE_TOKEN }
///   hundesteuer:
///     kind: file
///     directory: ./out/hundesteuer
///     fileName: "{date}-{id}.{ext}"
/// ```
package struct TargetConfiguration: Sendable, Equatable {
    /// The two ways department systems import data.
    package enum Kind: Sendable, Equatable {
        case http(HTTPTargetConfiguration)
        case file(FileTargetConfiguration)
    }

    /// HTTP endpoint or file drop.
    package var kind: Kind
    /// Jobs of this target in flight at once. Default 4.
    package var concurrency: Int
    /// Backoff after transient failures. Default 10 s ×2, capped at 1 h, full jitter.
    package var retry: RetryPolicy
    /// Age (since acceptance) after which an undelivered job is `dead`. Default 5 days, as Postfix.
    package var lifetime: TimeInterval
    /// When to stop sending to a sick target and how to probe it.
    package var breaker: CircuitBreakerConfiguration

    package init(
        kind: Kind,
        concurrency: Int = 4,
        retry: RetryPolicy = RetryPolicy(),
        lifetime: TimeInterval = 5 * 86_400,
        breaker: CircuitBreakerConfiguration = CircuitBreakerConfiguration()
    ) {
        self.kind = kind
        self.concurrency = concurrency
        self.retry = retry
        self.lifetime = lifetime
        self.breaker = breaker
    }

    /// The largest `concurrency` accepted; more would only exhaust the target or our file handles.
    package static let maximumConcurrency = 256
}
