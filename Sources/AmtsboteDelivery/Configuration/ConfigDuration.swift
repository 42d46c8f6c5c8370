import Foundation

/// Parses the durations operators write in config/amtsbote.yaml: `250ms`, `10s`, `5m`, `1h`, `5d`,
/// or a bare number of seconds (`30`, `0.5`).
///
/// Durations are kept as `TimeInterval` because they are added to spool due dates (`Date`).
package enum ConfigDuration {
    /// The accepted spelling, quoted in error messages so the operator sees how to fix the value.
    package static let expectedForm = "a duration such as 250ms, 10s, 5m, 1h, 5d or a number of seconds"

    /// Returns the duration in seconds, or nil when `text` is not a duration.
    package static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(suffix: String, factor: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            // "5ms" also ends in "s": only accept when what remains is a plain number.
            guard let value = plainNumber(number) else { continue }
            return value * unit.factor
        }
        return plainNumber(trimmed)
    }

    /// Decodes a duration from a YAML scalar that is either a number (seconds) or a string with a unit.
    package static func decode<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>,
        forKey key: Key
    ) throws -> TimeInterval? {
        guard container.contains(key) else { return nil }
        let value: TimeInterval
        if let seconds = try? container.decode(Double.self, forKey: key) {
            value = seconds
        } else {
            let text = try container.decode(String.self, forKey: key)
            guard let parsed = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key,
                    in: container,
                    debugDescription: "expected \(expectedForm), got '\(text.prefix(32))'"
                )
            }
            value = parsed
        }
        guard value.isFinite, value >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "a duration must not be negative")
        }
        return value
    }

    private static func plainNumber(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 }) else { return nil }
        return Double(text)
    }
}

extension ConfigDuration {
    /// Formats seconds the way the config spells them (`250ms`, `10s`, `1.5s`), for messages.
    package static func format(_ seconds: TimeInterval) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return String(format: "%.1fs", seconds)
    }
}
