/// A coding key for any string, used to find keys the operator wrote that no field reads
/// (typos such as `retires:` must be an error, not a silently ignored default).
package struct ConfigKey: CodingKey, Hashable, Sendable {
    package var stringValue: String
    package var intValue: Int? { nil }

    package init(_ string: String) { self.stringValue = string }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws a decoding error naming the first key in this mapping that is not in `allowed`.
    ///
    /// - Parameters:
    ///   - allowed: every key the type reads.
    ///   - hints: replacements for keys that are refused on purpose (e.g. literal secrets), with the reason.
    package func rejectUnknownKeys(allowed: Set<String>, hints: [String: String] = [:]) throws {
        let container = try self.container(keyedBy: ConfigKey.self)
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
            let message = hints[key.stringValue] ?? "unknown key '\(key.stringValue)'; allowed keys: \(allowed.sorted().joined(separator: ", "))"
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: codingPath + [key], debugDescription: message)
            )
        }
    }

    /// Throws a decoding error at this mapping's path (for a rule that spans several keys).
    package func invalid(_ message: String, key: String? = nil) -> DecodingError {
        let path = key.map { codingPath + [ConfigKey($0)] } ?? codingPath
        return DecodingError.dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: message))
    }
}
