import Foundation
import Yams

extension TargetConfiguration {
    /// Reads the `targets:` section of config/amtsbote.yaml (other sections are ignored here).
    ///
    /// - Throws: `DeliveryError` `.invalidConfiguration` whose message is one line
    ///   `FILE:LINE:COLUMN: targets.NAME.KEY: what is wrong`, pointing at the offending YAML node.
    package static func targets(fromConfigFile url: URL) throws -> [String: TargetConfiguration] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DeliveryError(.invalidConfiguration, "\(url.path): cannot read the config file")
        }
        return try targets(fromYAML: text, file: url.path)
    }

    /// Decodes the `targets:` section of a config document; a missing section means no targets.
    ///
    /// - Parameters:
    ///   - text: the whole config file.
    ///   - file: its path, for error messages.
    package static func targets(fromYAML text: String, file: String) throws -> [String: TargetConfiguration] {
        struct ConfigFile: Decodable {
            var targets: [String: TargetConfiguration]?
        }
        // An empty document (or one with only comments) has no targets, like a missing section.
        if (try? Yams.compose(yaml: text)) == nil { return [:] }
        let decoded: ConfigFile
        do {
            decoded = try YAMLDecoder().decode(ConfigFile.self, from: text)
        } catch let error as DecodingError {
            let mark = location(of: error, in: text).map { "\($0.line):\($0.column)" } ?? "1:1"
            throw DeliveryError(.invalidConfiguration, "\(file):\(mark): \(describe(error))")
        } catch let error as YamlError {
            throw DeliveryError(.invalidConfiguration, "\(file): not valid YAML (\(String(describing: error).prefix(200)))")
        }
        let targets = decoded.targets ?? [:]
        for name in targets.keys.sorted() where !isValidName(name) {
            throw DeliveryError(
                .invalidConfiguration,
                "\(file): targets.\(name): target names use letters, digits, '-' and '_' only (they appear in metrics and file names)"
            )
        }
        return targets
    }

    /// Target names end up in metric labels, log metadata and file names: keep them plain.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 }
    }

    /// The line and column of the YAML node a decoding error's coding path leads to (the deepest
    /// node that exists, so "missing key" points at the mapping that lacks it).
    private static func location(of error: DecodingError, in text: String) -> Mark? {
        let codingPath: [any CodingKey]
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            codingPath = context.codingPath
        case .keyNotFound(_, let context):
            codingPath = context.codingPath
        @unknown default:
            return nil
        }
        guard var node = try? Yams.compose(yaml: text) else { return nil }
        var mark = node.mark
        for key in codingPath {
            if let index = key.intValue, let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
            } else if let mapping = node.mapping, let pair = mapping.first(where: { $0.key.string == key.stringValue }) {
                // An unknown key is reported at the key itself, anything else at its value.
                if key.stringValue == codingPath.last?.stringValue, describe(error).contains("unknown key") || describe(error).contains("secrets are never") {
                    return pair.key.mark
                }
                node = pair.value
            } else {
                break
            }
            mark = node.mark ?? mark
        }
        return mark
    }
}
