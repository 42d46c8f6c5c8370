import Foundation
import Yams

/// Compiles one mapping file (YAML) into a ``CompiledMapping``, collecting every error with its
/// `file:line:column` instead of stopping at the first.
///
/// YAML is read with `Yams.compose`, which keeps the position (`Node.mark`) of every node, so each
/// message points at the key or value that is wrong.
struct MappingCompiler {
    let file: String
    let codeLists: CodeListRegistry
    var errors: [MappingLoadError] = []
    var pathParser = PathParser(namespaces: [:])
    var outputFormat: OutputSpec.Format = .json
    var outputNamespaces: [String: String] = [:]
    var hasDefaultOutputNamespace = false
    /// CSV `neutralizeFormulas` with a header line: column names must not start a formula either.
    var guardsCSVHeaderAgainstFormulas = false

    init(file: String, codeLists: CodeListRegistry) {
        self.file = file
        self.codeLists = codeLists
    }

    static let topLevelKeys = ["target", "description", "namespaces", "match", "output", "fields", "attachments"]

    /// Compiles `text`; returns nil (and fills `errors`) if anything is wrong.
    /// - Parameter defaultTarget: the target when the file has no `target:` (its base name), nil if
    ///   the file name is not a valid target name.
    mutating func compile(_ text: String, defaultTarget: String?) -> CompiledMapping? {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                errors.append(MappingLoadError(file: file, line: 1, column: 1, message: "mapping file is empty"))
                return nil
            }
            root = node
        } catch let error as YamlError {
            errors.append(yamlError(error, text: text))
            return nil
        } catch {
            errors.append(MappingLoadError(file: file, line: 1, column: 1, message: "cannot read YAML"))
            return nil
        }
        guard let entries = entries(of: root, what: "mapping file", allowed: Self.topLevelKeys) else { return nil }
        var target = defaultTarget
        if let node = entries["target"]?.value, let name = string(node, what: "target") {
            if Self.isValidTargetName(name) {
                target = name
            } else {
                error(at: node, "target must be letters, digits, '-' or '_'")
            }
        } else if defaultTarget == nil {
            error(at: root, "the file name is not a valid target name (letters, digits, '-', '_'); add 'target: NAME'")
        }
        if let node = entries["namespaces"]?.value {
            pathParser = PathParser(namespaces: namespaceMap(node, what: "namespaces"))
        }
        // Output first: field names are checked against its format.
        var output: OutputSpec?
        if let node = entries["output"]?.value {
            output = compileOutput(node)
        } else {
            error(at: root, "missing 'output' (expected format: json, xml or csv)")
        }
        var match: MatchRule?
        if let node = entries["match"]?.value {
            match = compileMatch(node)
        } else {
            error(at: root, "missing 'match' (which submissions this target gets)")
        }
        var fields: [FieldSpec]?
        if let node = entries["fields"]?.value {
            fields = compileFields(node, parent: "")
        } else {
            error(at: root, "missing 'fields'")
        }
        var attachments = AttachmentSpec()
        if let node = entries["attachments"]?.value, let compiled = compileAttachments(node) {
            attachments = compiled
            if let field = compiled.field, let fields, fields.contains(where: { $0.name.key == field.key }) {
                error(at: node, "attachments field '\(field.key)' is also a field name")
            }
        }
        guard errors.isEmpty, let target, let output, let match, let fields else { return nil }
        return CompiledMapping(target: target, file: file, match: match, output: output, fields: fields, attachments: attachments)
    }

    static func isValidTargetName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    // MARK: - Diagnostics

    mutating func error(at node: Node?, _ message: String, columnOffset: Int = 0) {
        let mark = node?.mark
        errors.append(MappingLoadError(file: file, line: mark?.line ?? 1, column: (mark?.column ?? 1) + columnOffset, message: message))
    }

    private func yamlError(_ error: YamlError, text: String) -> MappingLoadError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return MappingLoadError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(detail)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return MappingLoadError(file: file, line: context.mark.line, column: context.mark.column,
                                    message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        case .reader(let problem, let offset, _, _):
            var line = 1
            var column = 1
            if let offset {
                for (index, character) in text.utf8.enumerated() where index < offset {
                    if character == 0x0A {
                        line += 1
                        column = 1
                    } else {
                        column += 1
                    }
                }
            }
            return MappingLoadError(file: file, line: line, column: column, message: "YAML error: \(problem)")
        default:
            return MappingLoadError(file: file, line: 1, column: 1, message: "YAML error: \(error)")
        }
    }

    // MARK: - YAML helpers

    struct Entry {
        var key: Node
        var value: Node
    }

    /// The entries of a YAML mapping by key, reporting unknown keys with the list of expected ones.
    mutating func entries(of node: Node, what: String, allowed: [String]) -> [String: Entry]? {
        guard case .mapping(let mapping) = node else {
            error(at: node, "\(what) must be a mapping with keys \(allowed.joined(separator: ", "))")
            return nil
        }
        var result: [String: Entry] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(at: key, "keys must be plain text")
                continue
            }
            guard allowed.contains(name) else {
                let hint = Self.closest(to: name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error(at: key, "unknown key '\(name)' in \(what)\(hint); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            result[name] = Entry(key: key, value: value)
        }
        return result
    }

    /// Keys of a mapping in the order written.
    func orderedKeys(of node: Node) -> [String] {
        guard case .mapping(let mapping) = node else { return [] }
        return mapping.compactMap { $0.key.scalar?.string }
    }

    mutating func string(_ node: Node, what: String) -> String? {
        guard let scalar = node.scalar else {
            error(at: node, "\(what) must be a single text value")
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node, what: String) -> Bool? {
        guard let scalar = node.scalar, let value = Bool.parseYAML(scalar.string) else {
            error(at: node, "\(what) must be true or false")
            return nil
        }
        return value
    }

    mutating func int(_ node: Node, what: String, range: ClosedRange<Int>) -> Int? {
        guard let scalar = node.scalar, let value = Int(scalar.string), range.contains(value) else {
            error(at: node, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// A string or a list of strings.
    mutating func strings(_ node: Node, what: String) -> [String]? {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence):
            var result: [String] = []
            for item in sequence {
                guard let value = string(item, what: what) else { return nil }
                result.append(value)
            }
            return result
        default:
            error(at: node, "\(what) must be a text or a list of texts")
            return nil
        }
    }

    mutating func namespaceMap(_ node: Node, what: String) -> [String: String] {
        guard case .mapping(let mapping) = node else {
            error(at: node, "\(what) must map prefixes to namespace URIs")
            return [:]
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let prefix = key.scalar?.string, Self.isNCName(prefix), prefix != "xml", prefix != "xmlns" else {
                error(at: key, "namespace prefix must be an XML name (not xml or xmlns)")
                continue
            }
            guard let uri = value.scalar?.string, !uri.isEmpty else {
                error(at: value, "namespace URI must be a non-empty text")
                continue
            }
            result[prefix] = uri
        }
        return result
    }

    /// Compiles a path, pointing errors at the character inside the YAML value.
    mutating func path(_ node: Node, what: String = "path") -> PathExpression? {
        guard let text = string(node, what: what) else { return nil }
        do {
            return try pathParser.parse(text)
        } catch let failure as PathSyntaxError {
            let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
            error(at: node, "bad \(what) '\(text)': \(failure.message)", columnOffset: failure.offset + (quoted ? 1 : 0))
            return nil
        } catch {
            self.error(at: node, "bad \(what) '\(text)'")
            return nil
        }
    }

    mutating func regex(_ node: Node, what: String) -> CompiledRegex? {
        guard let text = string(node, what: what) else { return nil }
        do {
            return try CompiledRegex(text)
        } catch {
            self.error(at: node, "\(what) is not a valid regular expression")
            return nil
        }
    }

    /// The allowed key an admin most likely meant: edit distance at most 2, or one contains the other.
    static func closest(to name: String, in allowed: [String]) -> String? {
        let lower = name.lowercased()
        var best: (key: String, distance: Int)?
        for candidate in allowed {
            let other = candidate.lowercased()
            var distance = editDistance(Array(lower), Array(other))
            if distance > 2, other.count >= 4, lower.contains(other) || other.contains(lower) { distance = 2 }
            if distance <= 2, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.key
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0 ... b.count)
        for i in 1 ... a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1 ... b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }

    static func isNCName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        let startOK = first.properties.isAlphabetic || first == "_"
        return startOK && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-" || $0 == "." }
    }
}
