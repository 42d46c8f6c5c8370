import Foundation

extension RetryPolicy: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case initialDelay, multiplier, maximumDelay, jitter, maximumRetryAfter
    }

    /// Reads the `retry:` mapping of a target; every key is optional and falls back to the default.
    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        let defaults = RetryPolicy()
        self.init(
            initialDelay: try ConfigDuration.decode(container, forKey: .initialDelay) ?? defaults.initialDelay,
            multiplier: try container.decodeIfPresent(Double.self, forKey: .multiplier) ?? defaults.multiplier,
            maximumDelay: try ConfigDuration.decode(container, forKey: .maximumDelay) ?? defaults.maximumDelay,
            jitter: try container.decodeIfPresent(Jitter.self, forKey: .jitter) ?? defaults.jitter,
            maximumRetryAfter: try ConfigDuration.decode(container, forKey: .maximumRetryAfter) ?? defaults.maximumRetryAfter
        )
        guard initialDelay > 0 else { throw decoder.invalid("must be greater than 0", key: Keys.initialDelay.rawValue) }
        guard multiplier >= 1, multiplier.isFinite else {
            throw decoder.invalid("must be at least 1 (1 = constant delay)", key: Keys.multiplier.rawValue)
        }
        guard maximumDelay >= initialDelay else {
            throw decoder.invalid("must not be smaller than initialDelay", key: Keys.maximumDelay.rawValue)
        }
    }
}
