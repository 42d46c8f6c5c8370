import Yams

extension MappingCompiler {
    mutating func compileOperation(_ key: String, _ entry: Entry) -> ValueOperation? {
        let node = entry.value
        switch key {
        case "trim", "upper", "lower":
            guard let flag = bool(node, what: key) else { return nil }
            guard flag else {
                error(at: node, "\(key): false has no effect; remove the key")
                return nil
            }
            return key == "trim" ? .trim : key == "upper" ? .upper : .lower
        case "truncate":
            guard let count = int(node, what: "truncate", range: 1 ... 1_000_000) else { return nil }
            return .truncate(count)
        case "replace":
            guard let entries = entries(of: node, what: "replace", allowed: ["pattern", "with"]) else { return nil }
            guard let patternNode = entries["pattern"]?.value, let withNode = entries["with"]?.value else {
                error(at: node, "replace needs 'pattern' (regular expression) and 'with' (replacement, $1 for groups)")
                return nil
            }
            guard let regex = regex(patternNode, what: "pattern"), let template = string(withNode, what: "with") else { return nil }
            return .replace(regex, template: template)
        case "split":
            guard let entries = entries(of: node, what: "split", allowed: ["separator", "index"]) else { return nil }
            guard let separatorNode = entries["separator"]?.value, let separator = string(separatorNode, what: "separator"), !separator.isEmpty else {
                error(at: node, "split needs a non-empty 'separator'")
                return nil
            }
            var index: Int?
            if let indexNode = entries["index"]?.value {
                guard let value = int(indexNode, what: "index", range: -1000 ... 1000), value != 0 else {
                    error(at: indexNode, "index is 1-based (1 = first part, -1 = last part)")
                    return nil
                }
                index = value
            }
            return .split(separator: separator, index: index)
        case "date":
            guard let entries = entries(of: node, what: "date", allowed: ["from", "to"]) else { return nil }
            guard let fromNode = entries["from"]?.value, let toNode = entries["to"]?.value else {
                error(at: node, "date needs 'from' and 'to' patterns (e.g. from: yyyy-MM-dd, to: dd.MM.yyyy)")
                return nil
            }
            guard let from = datePatterns(fromNode), let to = datePatterns(toNode) else { return nil }
            guard to.count == 1 || to.count == from.count else {
                error(at: toNode, "date 'to' needs one pattern, or one per 'from' pattern (\(from.count))")
                return nil
            }
            return .date(from: from, to: to)
        case "number":
            guard let entries = entries(of: node, what: "number", allowed: ["decimals", "decimalSeparator", "groupingSeparator"]) else { return nil }
            var format = NumberFormat()
            if let value = entries["decimals"]?.value {
                guard let decimals = int(value, what: "decimals", range: 0 ... 20) else { return nil }
                format.decimals = decimals
            }
            if let value = entries["decimalSeparator"]?.value, let text = string(value, what: "decimalSeparator") { format.decimalSeparator = text }
            if let value = entries["groupingSeparator"]?.value, let text = string(value, what: "groupingSeparator") { format.groupingSeparator = text }
            return .number(format)
        case "codelist":
            return compileCodeList(node)
        case "map":
            guard let entries = entries(of: node, what: "map", allowed: ["values", "otherwise"]) else { return nil }
            guard let valuesNode = entries["values"]?.value, case .mapping(let mapping) = valuesNode else {
                error(at: node, "map needs 'values' (a mapping from source value to output value)")
                return nil
            }
            var table: [String: String] = [:]
            for (key, value) in mapping {
                guard let from = key.scalar?.string, let to = value.scalar?.string else {
                    error(at: key, "map values must be text → text")
                    return nil
                }
                table[from] = to
            }
            var fallback: String?
            if let value = entries["otherwise"]?.value {
                guard let text = string(value, what: "otherwise") else { return nil }
                fallback = text
            }
            return .map(table, fallback: fallback)
        default:
            error(at: entry.key, "unknown function '\(key)'")
            return nil
        }
    }

    private mutating func datePatterns(_ node: Node) -> [DatePattern]? {
        let items: [Node]
        if case .sequence(let sequence) = node { items = Array(sequence) } else { items = [node] }
        var patterns: [DatePattern] = []
        for item in items {
            guard let text = string(item, what: "date pattern") else { return nil }
            do {
                patterns.append(try DatePattern(text))
            } catch let failure as DatePattern.DatePatternError {
                let quoted = item.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
                error(at: item, "bad date pattern: \(failure.message)", columnOffset: DatePattern.aliases[text] == nil ? failure.offset + (quoted ? 1 : 0) : 0)
                return nil
            } catch {
                self.error(at: item, "bad date pattern")
                return nil
            }
        }
        guard !patterns.isEmpty else {
            error(at: node, "at least one date pattern is needed")
            return nil
        }
        return patterns
    }

    private mutating func compileCodeList(_ node: Node) -> ValueOperation? {
        guard let entries = entries(of: node, what: "codelist", allowed: ["list", "version", "column"]) else { return nil }
        guard let listNode = entries["list"]?.value, let uri = string(listNode, what: "list") else {
            error(at: node, "codelist needs 'list' (the code list's URI, its listURI)")
            return nil
        }
        guard let versions = codeLists.versions(of: uri), !versions.isEmpty else {
            let known = codeLists.lists.keys.sorted()
            error(at: listNode, "code list '\(uri)' is not loaded from codelists/" + (known.isEmpty ? " (no code lists loaded)" : "; loaded: \(known.joined(separator: ", "))"))
            return nil
        }
        var lookup = CodeListLookup(uri: uri, pinnedVersion: nil, column: nil, versions: versions)
        if let value = entries["version"]?.value, let version = string(value, what: "version") {
            guard versions[version] != nil else {
                error(at: value, "code list '\(uri)' has no version '\(version)'; loaded: \(versions.keys.sorted().joined(separator: ", "))")
                return nil
            }
            lookup.pinnedVersion = version
        }
        if let value = entries["column"]?.value, let column = string(value, what: "column") {
            for (version, list) in versions.sorted(by: { $0.key < $1.key }) where !list.columns.contains(column) {
                error(at: value, "code list '\(uri)' version \(version) has no column '\(column)'; columns: \(list.columns.joined(separator: ", "))")
                return nil
            }
            lookup.column = column
        }
        return .codeList(lookup)
    }
}
