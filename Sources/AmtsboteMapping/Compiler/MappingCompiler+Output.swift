import Yams

extension MappingCompiler {
    static let outputKeys = ["format", "pretty", "root", "namespaces", "defaultNamespace", "declaration",
                             "separator", "header", "lineEnding", "quote", "neutralizeFormulas", "rows"]

    mutating func compileOutput(_ node: Node) -> OutputSpec? {
        guard let entries = entries(of: node, what: "output", allowed: Self.outputKeys) else { return nil }
        guard let formatNode = entries["format"]?.value else {
            error(at: node, "output needs 'format' (json, xml or csv)")
            return nil
        }
        guard let formatText = string(formatNode, what: "format") else { return nil }
        guard let format = OutputSpec.Format(rawValue: formatText) else {
            error(at: formatNode, "unknown output format '\(formatText)'; expected json, xml or csv")
            return nil
        }
        outputFormat = format
        var spec = OutputSpec(format: format)
        func only(_ keys: [String], for formats: [OutputSpec.Format], _ compiler: inout MappingCompiler) {
            for key in keys {
                if let entry = entries[key], !formats.contains(format) {
                    compiler.error(at: entry.key, "'\(key)' applies only to \(formats.map(\.rawValue).joined(separator: "/")) output")
                }
            }
        }
        only(["pretty"], for: [.json, .xml], &self)
        only(["root", "namespaces", "defaultNamespace", "declaration"], for: [.xml], &self)
        only(["separator", "header", "lineEnding", "quote", "neutralizeFormulas", "rows"], for: [.csv], &self)
        if let value = entries["pretty"]?.value, let flag = bool(value, what: "pretty") { spec.pretty = flag }
        if format == .xml {
            if let value = entries["namespaces"]?.value {
                outputNamespaces = namespaceMap(value, what: "output namespaces")
                spec.namespaces = outputNamespaces.sorted { $0.key < $1.key }.map { (prefix: $0.key, uri: $0.value) }
            }
            if let value = entries["defaultNamespace"]?.value, let uri = string(value, what: "defaultNamespace") {
                spec.defaultNamespace = uri
                hasDefaultOutputNamespace = true
            }
            if let value = entries["declaration"]?.value, let flag = bool(value, what: "declaration") { spec.declaration = flag }
            if let value = entries["root"]?.value {
                if let name = outputName(value, allowSpecial: false) { spec.root = name }
            } else {
                error(at: node, "xml output needs 'root' (the root element, e.g. hs:fall)")
            }
        }
        if format == .csv {
            if let value = entries["separator"]?.value, let text = string(value, what: "separator") {
                if text.isEmpty || text.contains("\"") || text.contains("\n") || text.contains("\r") {
                    error(at: value, "separator must be non-empty and not a quote or line break")
                } else {
                    spec.separator = text
                }
            }
            if let value = entries["header"]?.value, let flag = bool(value, what: "header") { spec.header = flag }
            if let value = entries["lineEnding"]?.value, let text = string(value, what: "lineEnding") {
                switch text {
                case "crlf": spec.lineEnding = "\r\n"
                case "lf": spec.lineEnding = "\n"
                default: error(at: value, "lineEnding must be crlf or lf")
                }
            }
            if let value = entries["quote"]?.value, let text = string(value, what: "quote") {
                switch text {
                case "minimal": spec.quoteAll = false
                case "all": spec.quoteAll = true
                default: error(at: value, "quote must be minimal or all")
                }
            }
            if let value = entries["neutralizeFormulas"]?.value, let flag = bool(value, what: "neutralizeFormulas") {
                spec.neutralizeFormulas = flag
            }
            guardsCSVHeaderAgainstFormulas = spec.neutralizeFormulas && spec.header
            if let value = entries["rows"]?.value { spec.rows = path(value, what: "rows path") }
        }
        return spec
    }

    /// An output name for the current format; XML names are checked and their prefixes resolved.
    mutating func outputName(_ node: Node, allowSpecial: Bool) -> OutputName? {
        guard let key = string(node, what: "name") else { return nil }
        guard !key.isEmpty else {
            error(at: node, "name must not be empty")
            return nil
        }
        if outputFormat == .csv, guardsCSVHeaderAgainstFormulas, CSVFormulaGuard.needsPrefix(key) {
            // Values are prefixed at run time; a header cell would reach the spreadsheet as a formula.
            error(at: node, "with neutralizeFormulas and a header a csv column name must not start with =, +, -, @, tab or carriage return")
            return nil
        }
        guard outputFormat == .xml else { return OutputName(key: key) }
        var text = key
        if text == "text()" {
            guard allowSpecial else {
                error(at: node, "text() is only allowed as a field inside an element")
                return nil
            }
            return OutputName(key: key, isText: true)
        }
        var isAttribute = false
        if text.hasPrefix("@") {
            guard allowSpecial else {
                error(at: node, "an attribute name is only allowed as a field inside an element")
                return nil
            }
            isAttribute = true
            text.removeFirst()
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, parts.allSatisfy(Self.isNCName) else {
            error(at: node, "'\(key)' is not a valid XML name (expected name, prefix:name, @name or text())")
            return nil
        }
        if parts.count == 2 {
            guard outputNamespaces[parts[0]] != nil else {
                error(at: node, "output prefix '\(parts[0])' is not declared in output namespaces")
                return nil
            }
            return OutputName(key: key, prefix: parts[0], local: parts[1], isAttribute: isAttribute)
        }
        return OutputName(key: key, local: parts[0], isAttribute: isAttribute)
    }

    static let matchKeys = ["format", "root", "formId", "where"]

    mutating func compileMatch(_ node: Node) -> MatchRule? {
        guard let entries = entries(of: node, what: "match", allowed: Self.matchKeys) else { return nil }
        var rule = MatchRule(conditions: [])
        if let value = entries["format"]?.value, let text = string(value, what: "format") {
            if let format = SourceDocument.Format(rawValue: text) {
                rule.format = format
            } else {
                error(at: value, "match format must be xml or json")
            }
        }
        if let value = entries["root"]?.value, let text = string(value, what: "root") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 {
                if let uri = pathParser.namespaces[parts[0]] {
                    rule.root = (parts[1], uri)
                } else {
                    error(at: value, "prefix '\(parts[0])' is not declared in namespaces")
                }
            } else if parts.count == 1, Self.isNCName(parts[0]) {
                rule.root = (parts[0], "")
            } else {
                error(at: value, "root must be an element name, prefix:name")
            }
            if rule.format == .json { error(at: value, "root applies only to XML submissions") }
            rule.format = .xml
        }
        if let value = entries["formId"]?.value, let ids = strings(value, what: "formId") {
            rule.formIDs = ids
        }
        if let value = entries["where"]?.value, let condition = compileCondition(value) {
            rule.conditions = [condition]
        }
        if rule.root == nil, rule.formIDs == nil, rule.conditions.isEmpty {
            error(at: node, "match needs at least one of root, formId or where (a mapping must not take every submission)")
        }
        return rule
    }

    static let attachmentKeys = ["mode", "field", "each", "name", "contentType", "content", "size"]

    mutating func compileAttachments(_ node: Node) -> AttachmentSpec? {
        guard let entries = entries(of: node, what: "attachments", allowed: Self.attachmentKeys) else { return nil }
        var spec = AttachmentSpec()
        guard let modeNode = entries["mode"]?.value else {
            error(at: node, "attachments need 'mode' (base64, parts or drop)")
            return nil
        }
        guard let modeText = string(modeNode, what: "mode") else { return nil }
        guard let mode = AttachmentSpec.Mode(rawValue: modeText) else {
            error(at: modeNode, "unknown attachments mode '\(modeText)'; expected base64, parts or drop")
            return nil
        }
        spec.mode = mode
        if mode == .base64, outputFormat == .csv {
            error(at: modeNode, "csv output cannot embed attachments; use parts or drop")
        }
        if let value = entries["field"]?.value {
            if mode == .drop || outputFormat == .csv {
                error(at: entries["field"]?.key, "'field' is not used when attachments are dropped or the output is csv")
            }
            spec.field = outputName(value, allowSpecial: false)
        } else if mode != .drop, outputFormat != .csv {
            error(at: node, "attachments need 'field' (where the attachment list goes in the body)")
        }
        let inlineKeys = ["each", "name", "contentType", "content"]
        let present = inlineKeys.filter { entries[$0] != nil }
        if present.isEmpty, let sizeKey = entries["size"]?.key {
            error(at: sizeKey, "'size' applies only to attachments in the document (with each, name, contentType, content)")
        }
        if !present.isEmpty {
            guard present.count == inlineKeys.count else {
                error(at: node, "attachments in the document need all of each, name, contentType and content")
                return nil
            }
            guard let each = path(entries["each"]!.value, what: "each path"),
                  let name = path(entries["name"]!.value, what: "name path"),
                  let contentType = path(entries["contentType"]!.value, what: "contentType path"),
                  let content = path(entries["content"]!.value, what: "content path")
            else { return nil }
            spec.inline = InlineAttachments(each: each, name: name, contentType: contentType, content: content)
            if let sizeNode = entries["size"]?.value {
                guard let size = path(sizeNode, what: "size path") else { return nil }
                spec.inline?.size = size
            }
        }
        return spec
    }

    // MARK: - Conditions

    static let conditionKeys = ["path", "equals", "notEquals", "in", "exists", "matches", "all", "any", "not"]

    /// `{path, equals|notEquals|in|exists|matches}`, `{all: […]}`, `{any: […]}`, `{not: …}`, or a list (= all).
    mutating func compileCondition(_ node: Node) -> Condition? {
        if case .sequence(let sequence) = node {
            let parts = sequence.compactMap { compileCondition($0) }
            return parts.count == sequence.count ? .all(parts) : nil
        }
        guard let entries = entries(of: node, what: "condition", allowed: Self.conditionKeys) else { return nil }
        if let value = entries["all"]?.value ?? entries["any"]?.value {
            guard entries.count == 1 else {
                error(at: node, "all/any stand alone in a condition")
                return nil
            }
            guard case .sequence(let sequence) = value else {
                error(at: value, "all/any need a list of conditions")
                return nil
            }
            let parts = sequence.compactMap { compileCondition($0) }
            guard parts.count == sequence.count else { return nil }
            return entries["all"] != nil ? .all(parts) : .any(parts)
        }
        if let value = entries["not"]?.value {
            guard entries.count == 1 else {
                error(at: node, "not stands alone in a condition")
                return nil
            }
            return compileCondition(value).map { .not($0) }
        }
        guard let pathNode = entries["path"]?.value else {
            error(at: node, "condition needs 'path' with one of equals, notEquals, in, exists, matches (or all/any/not)")
            return nil
        }
        let tests = ["equals", "notEquals", "in", "exists", "matches"].filter { entries[$0] != nil }
        guard tests.count == 1, let test = tests.first else {
            error(at: node, "condition needs exactly one of equals, notEquals, in, exists, matches")
            return nil
        }
        guard let expression = path(pathNode) else { return nil }
        let value = entries[test]!.value
        switch test {
        case "equals", "notEquals":
            guard let text = string(value, what: test) else { return nil }
            return .equals(expression, [text], negate: test == "notEquals")
        case "in":
            guard case .sequence = value, let texts = strings(value, what: "in") else {
                error(at: value, "in needs a list of values")
                return nil
            }
            return .equals(expression, texts, negate: false)
        case "exists":
            guard let flag = bool(value, what: "exists") else { return nil }
            return .exists(expression, flag)
        default:
            guard let regex = regex(value, what: "matches") else { return nil }
            return .matches(expression, regex)
        }
    }
}
