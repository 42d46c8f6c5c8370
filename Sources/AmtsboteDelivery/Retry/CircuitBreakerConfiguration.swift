import Foundation

/// Thresholds of a target's circuit breaker.
///
/// After `failureThreshold` consecutive transient failures the breaker opens: no job is sent to the
/// target for `openDuration`; then one job probes it. A failed probe doubles the pause (up to
/// `maximumOpenDuration`), a successful one closes the breaker and all workers resume.
package struct CircuitBreakerConfiguration: Sendable, Equatable {
    /// Consecutive transient failures that open the breaker. Default 5.
    package var failureThreshold: Int
    /// First pause before the probe. Default 30 s.
    package var openDuration: TimeInterval
    /// Longest pause between probes. Default 10 min.
    package var maximumOpenDuration: TimeInterval

    package init(failureThreshold: Int = 5, openDuration: TimeInterval = 30, maximumOpenDuration: TimeInterval = 600) {
        self.failureThreshold = failureThreshold
        self.openDuration = openDuration
        self.maximumOpenDuration = maximumOpenDuration
    }

    /// The pause after the breaker opened for the `openings`-th time in a row (1 = first).
    package func pause(forOpening openings: Int) -> TimeInterval {
        let raw = openDuration * pow(2, Double(max(openings, 1) - 1))
        return min(maximumOpenDuration, raw.isFinite ? raw : maximumOpenDuration)
    }
}

extension CircuitBreakerConfiguration: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case failureThreshold, openDuration, maximumOpenDuration
    }

    /// Reads the `breaker:` mapping of a target; every key is optional.
    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        let defaults = CircuitBreakerConfiguration()
        self.init(
            failureThreshold: try container.decodeIfPresent(Int.self, forKey: .failureThreshold) ?? defaults.failureThreshold,
            openDuration: try ConfigDuration.decode(container, forKey: .openDuration) ?? defaults.openDuration,
            maximumOpenDuration: try ConfigDuration.decode(container, forKey: .maximumOpenDuration) ?? defaults.maximumOpenDuration
        )
        guard failureThreshold >= 1 else { throw decoder.invalid("must be at least 1", key: Keys.failureThreshold.rawValue) }
        guard openDuration > 0 else { throw decoder.invalid("must be greater than 0", key: Keys.openDuration.rawValue) }
        guard maximumOpenDuration >= openDuration else {
            throw decoder.invalid("must not be smaller than openDuration", key: Keys.maximumOpenDuration.rawValue)
        }
    }
}
