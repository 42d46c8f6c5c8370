import Foundation

/// When to try a job again after a transient failure: exponential backoff with full jitter, capped.
///
/// Full jitter (a uniform random delay between 0 and the exponential bound) spreads the retries of
/// many jobs that failed together, so a department system coming back from maintenance is not hit
/// by all of them at the same instant. A `Retry-After` from the target is a floor: we never come
/// back earlier than the target asked.
///
/// Pure value type: no clock, no I/O; the random source is passed in so tests are deterministic.
package struct RetryPolicy: Sendable, Equatable {
    /// How the computed bound is turned into the actual delay.
    package enum Jitter: String, Sendable, Equatable, Decodable {
        /// Uniform in `0...bound` (the default; spreads retries best).
        case full
        /// Exactly the bound (predictable; for tests and systems that want fixed intervals).
        case none
    }

    /// Bound of the first retry delay. Default 10 s.
    package var initialDelay: TimeInterval
    /// Factor applied to the bound after each failure. Default 2.
    package var multiplier: Double
    /// Largest bound, however many failures. Default 1 h.
    package var maximumDelay: TimeInterval
    /// Default `.full`.
    package var jitter: Jitter
    /// Largest `Retry-After` honoured; a target asking for more is retried after this much. Default 24 h,
    /// so a wrong header cannot park a job for its whole lifetime.
    package var maximumRetryAfter: TimeInterval

    package init(
        initialDelay: TimeInterval = 10,
        multiplier: Double = 2,
        maximumDelay: TimeInterval = 3600,
        jitter: Jitter = .full,
        maximumRetryAfter: TimeInterval = 86_400
    ) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.jitter = jitter
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// The upper bound of the delay after the `failures`-th consecutive failure (1 = first failure).
    package func bound(afterFailures failures: Int) -> TimeInterval {
        let exponent = Double(max(failures, 1) - 1)
        // pow overflows to +inf for large exponents; min() then yields the cap.
        let raw = initialDelay * pow(multiplier, exponent)
        return min(maximumDelay, raw.isFinite ? raw : maximumDelay)
    }

    /// The delay before the next attempt after the `failures`-th consecutive transient failure.
    ///
    /// - Parameters:
    ///   - failures: how many transient failures this job has had so far, including this one (>= 1).
    ///   - retryAfter: the delay the target asked for (`Retry-After`), if any; a floor for the result.
    ///   - generator: random source for the jitter.
    package func delay(
        afterFailures failures: Int,
        retryAfter: TimeInterval? = nil,
        using generator: inout some RandomNumberGenerator
    ) -> TimeInterval {
        let bound = bound(afterFailures: failures)
        let backoff: TimeInterval
        switch jitter {
        case .full: backoff = bound > 0 ? Double.random(in: 0...bound, using: &generator) : 0
        case .none: backoff = bound
        }
        guard let retryAfter else { return backoff }
        return max(backoff, min(max(retryAfter, 0), maximumRetryAfter))
    }

    /// `delay(afterFailures:retryAfter:using:)` with the system random generator.
    package func delay(afterFailures failures: Int, retryAfter: TimeInterval? = nil) -> TimeInterval {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, retryAfter: retryAfter, using: &generator)
    }
}
