import Foundation
import Yams

/// A YAML node of a configuration file together with where it came from.
///
/// Decoding goes through this instead of `Decodable` so that every mistake can name
/// `file:line:column` and the dotted key, and unknown keys (typos) are refused instead of
/// silently ignored. Only used while loading; never kept.
package struct ConfigNode {
    /// The underlying Yams node.
    package let node: Node
    /// Configuration file path, for error messages.
    package let file: String
    /// Dotted key path of this node (`""` for the document root).
    package let keyPath: String

    package init(node: Node, file: String, keyPath: String) {
        self.node = node
        self.file = file
        self.keyPath = keyPath
    }

    /// Builds an error located at this node.
    package func error(_ code: ConfigFileError.Code, _ message: String) -> ConfigFileError {
        ConfigFileError(
            code: code,
            file: self.file,
            line: self.node.mark?.line,
            column: self.node.mark?.column,
            key: self.keyPath,
            message: message
        )
    }

    /// True for an explicit YAML null (`~`, `null`, or an empty value).
    package var isNull: Bool {
        guard case .scalar(let scalar) = self.node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    // MARK: Mappings

    /// The entries of a mapping, refusing keys outside `allowed` (typos are errors, not ignored).
    /// - Throws: `ConfigFileError` if this is not a mapping, a key is not a string, or a key is unknown.
    package func mapping(allowedKeys allowed: Set<String>) throws -> [String: ConfigNode] {
        guard case .mapping(let mapping) = self.node else {
            throw self.error(.invalidValue, "expected a mapping of keys to values")
        }
        var result: [String: ConfigNode] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else {
                throw ConfigNode(node: keyNode, file: self.file, keyPath: self.keyPath)
                    .error(.invalidValue, "keys must be plain strings")
            }
            let child = ConfigNode(node: valueNode, file: self.file, keyPath: self.childPath(key))
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw ConfigNode(node: keyNode, file: self.file, keyPath: child.keyPath)
                    .error(.unknownKey, "unknown key (known here: \(known))")
            }
            result[key] = child
        }
        return result
    }

    /// The elements of a sequence, each with an indexed key path (`clients[2]`).
    package func sequence() throws -> [ConfigNode] {
        if self.isNull { return [] }
        guard case .sequence(let sequence) = self.node else {
            throw self.error(.invalidValue, "expected a list")
        }
        return sequence.enumerated().map { index, element in
            ConfigNode(node: element, file: self.file, keyPath: "\(self.keyPath)[\(index)]")
        }
    }

    private func childPath(_ key: String) -> String {
        self.keyPath.isEmpty ? key : "\(self.keyPath).\(key)"
    }

    // MARK: Scalars

    /// The scalar's text; quoted or plain.
    package func string() throws -> String {
        guard case .scalar(let scalar) = self.node else {
            throw self.error(.invalidValue, "expected a text value")
        }
        return scalar.string
    }

    /// A non-empty string.
    package func nonEmptyString() throws -> String {
        let value = try self.string()
        guard !value.isEmpty else { throw self.error(.invalidValue, "must not be empty") }
        return value
    }

    /// An integer within `range`.
    package func int(in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard case .scalar(let scalar) = self.node, let value = Int(scalar.string) else {
            throw self.error(.invalidValue, "expected an integer")
        }
        guard range.contains(value) else {
            throw self.error(.invalidValue, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// `true`/`false` (also `yes`/`no`, as YAML 1.1 editors write them).
    package func bool() throws -> Bool {
        guard case .scalar(let scalar) = self.node else {
            throw self.error(.invalidValue, "expected true or false")
        }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw self.error(.invalidValue, "expected true or false")
        }
    }

    /// A list of strings.
    package func stringList() throws -> [String] {
        try self.sequence().map { try $0.nonEmptyString() }
    }

    /// A positive duration such as `500ms`, `2s`, `15m`, `12h`, `30d` (a bare number means seconds).
    package func duration() throws -> Duration {
        let text = try self.string().trimmingCharacters(in: .whitespaces)
        guard let value = ConfigValueParser.duration(text), value > .zero else {
            throw self.error(.invalidValue, "expected a positive duration such as 500ms, 2s, 15m, 12h or 30d")
        }
        return value
    }

    /// A byte count such as `25MiB`, `512KiB`, `2GiB`, `1048576` (binary units; `MB` = 10^6).
    package func byteCount() throws -> Int {
        let text = try self.string().trimmingCharacters(in: .whitespaces)
        guard let value = ConfigValueParser.byteCount(text), value >= 0 else {
            throw self.error(.invalidValue, "expected a byte size such as 25MiB, 512KiB, 1GiB or a plain number of bytes")
        }
        return value
    }
}
