import Yams

extension MappingCompiler {
    static let sourceKeys = ["path", "value", "concat", "sum", "product", "count"]
    static let operationKeys = ["trim", "upper", "lower", "replace", "split", "date", "number", "codelist", "map", "truncate"]
    static let valueOptionKeys = ["required", "default", "type", "join", "list", "separator"]
    static let valueKeys = sourceKeys + operationKeys + valueOptionKeys
    static let fieldKeys = ["name", "description", "when", "fields", "each", "where"] + valueKeys

    /// A list of fields; names must be unique among siblings.
    mutating func compileFields(_ node: Node, parent: String) -> [FieldSpec]? {
        guard case .sequence(let sequence) = node else {
            error(at: node, "fields must be a list (each item: name plus path, value, concat, … or fields/each)")
            return nil
        }
        var fields: [FieldSpec] = []
        var seen: Set<String> = []
        var failed = false
        for item in sequence {
            guard let field = compileField(item, parent: parent) else {
                failed = true
                continue
            }
            if !seen.insert(field.name.key).inserted {
                error(at: item, "field name '\(field.name.key)' is used twice at this level")
                failed = true
            }
            fields.append(field)
        }
        return failed ? nil : fields
    }

    mutating func compileField(_ node: Node, parent: String) -> FieldSpec? {
        guard let entries = entries(of: node, what: "field", allowed: Self.fieldKeys) else { return nil }
        guard let nameNode = entries["name"]?.value else {
            error(at: node, "field needs 'name'")
            return nil
        }
        guard let name = outputName(nameNode, allowSpecial: true) else { return nil }
        let qualified = parent.isEmpty ? name.key : parent + "." + name.key
        var when: Condition?
        if let value = entries["when"]?.value {
            guard let condition = compileCondition(value) else { return nil }
            when = condition
        }
        let body: FieldSpec.Body
        if let eachNode = entries["each"]?.value {
            guard let eachPath = path(eachNode, what: "each path") else { return nil }
            if outputFormat == .csv {
                error(at: entries["each"]?.key, "csv output has one value per column; use output rows for repeating groups")
                return nil
            }
            var filter: Condition?
            if let value = entries["where"]?.value {
                guard let condition = compileCondition(value) else { return nil }
                filter = condition
            }
            var required = false
            if let value = entries["required"]?.value, let flag = bool(value, what: "required") { required = flag }
            let item: FieldSpec.Body
            if let fieldsNode = entries["fields"]?.value {
                let extra = Self.valueKeys.filter { entries[$0] != nil && $0 != "required" }
                if let key = extra.first {
                    error(at: entries[key]?.key, "'\(key)' does not apply to an each with fields; put it on a field inside")
                    return nil
                }
                guard name.isText == false, name.isAttribute == false else {
                    error(at: nameNode, "a repeating group needs an element name")
                    return nil
                }
                guard let fields = compileFields(fieldsNode, parent: qualified) else { return nil }
                item = .group(fields)
            } else {
                guard let value = compileValue(node, entries: entries, ignoring: ["required"]) else { return nil }
                item = .value(value)
            }
            body = .each(path: eachPath, filter: filter, required: required, item: item)
        } else if let fieldsNode = entries["fields"]?.value {
            if let key = entries["where"]?.key {
                error(at: key, "'where' applies only to each")
                return nil
            }
            let extra = Self.valueKeys.filter { entries[$0] != nil }
            if let key = extra.first {
                error(at: entries[key]?.key, "'\(key)' does not apply to a group with fields")
                return nil
            }
            if outputFormat == .csv {
                error(at: entries["fields"]?.key, "csv output has one value per column; nested fields are not possible")
                return nil
            }
            guard !name.isText, !name.isAttribute else {
                error(at: nameNode, "a group needs an element name")
                return nil
            }
            guard let fields = compileFields(fieldsNode, parent: qualified) else { return nil }
            body = .group(fields)
        } else {
            if let key = entries["where"]?.key {
                error(at: key, "'where' applies only to each")
                return nil
            }
            guard let value = compileValue(node, entries: entries, ignoring: []) else { return nil }
            if value.list, outputFormat == .csv {
                error(at: entries["list"]?.key, "csv cells hold one value; use join instead of list")
                return nil
            }
            body = .value(value)
        }
        return FieldSpec(name: name, qualifiedName: qualified, when: when, body: body)
    }

    /// Compiles the value part of a field (or of a part inside concat/sum/product).
    mutating func compileValue(_ node: Node, entries: [String: Entry], ignoring: Set<String>) -> ValueSpec? {
        let sources = Self.sourceKeys.filter { entries[$0] != nil }
        guard !sources.isEmpty else {
            error(at: node, "field needs a value: one of path, value, concat, sum, product, count (or fields / each)")
            return nil
        }
        guard sources.count == 1, let sourceKey = sources.first, let sourceNode = entries[sourceKey]?.value else {
            error(at: entries[sources[1]]?.key, "only one of path, value, concat, sum, product, count per field")
            return nil
        }
        var source: ValueSource
        switch sourceKey {
        case "path":
            guard let expression = path(sourceNode) else { return nil }
            source = .path(expression)
        case "value":
            guard let text = string(sourceNode, what: "value") else { return nil }
            source = .constant(text)
        case "count":
            guard let expression = path(sourceNode, what: "count path") else { return nil }
            source = .count(expression)
        case "concat":
            guard let parts = valueParts(sourceNode, what: "concat") else { return nil }
            var separator: String?
            if let value = entries["separator"]?.value {
                guard let text = string(value, what: "separator") else { return nil }
                separator = text
            }
            source = .concat(parts, separator: separator)
        case "product":
            guard let parts = valueParts(sourceNode, what: "product") else { return nil }
            source = .product(parts)
        default: // sum
            if case .mapping = sourceNode {
                guard let inner = self.entries(of: sourceNode, what: "sum", allowed: ["each"] + Self.valueKeys) else { return nil }
                guard let eachNode = inner["each"]?.value else {
                    error(at: sourceNode, "sum needs a list of parts, or 'each' with the value to add up per item")
                    return nil
                }
                guard let eachPath = path(eachNode, what: "each path"),
                      let item = compileValue(sourceNode, entries: inner.filter { $0.key != "each" }, ignoring: [])
                else { return nil }
                source = .sumEach(eachPath, item)
            } else {
                guard let parts = valueParts(sourceNode, what: "sum") else { return nil }
                source = .sum(parts)
            }
        }
        if entries["separator"] != nil, sourceKey != "concat" {
            error(at: entries["separator"]?.key, "'separator' applies only to concat (use join for several values)")
            return nil
        }
        var operations: [ValueOperation] = []
        let written = orderedKeys(of: node)
        for key in written where Self.operationKeys.contains(key) {
            guard let entry = entries[key] else { continue }
            guard let operation = compileOperation(key, entry) else { return nil }
            operations.append(operation)
        }
        var required = false
        if !ignoring.contains("required"), let value = entries["required"]?.value, let flag = bool(value, what: "required") {
            required = flag
        }
        var defaultValue: DefaultValue?
        if let value = entries["default"]?.value {
            if let scalar = value.scalar, scalar.style == .plain, scalar.string == "null" || scalar.string == "~" {
                defaultValue = .null
            } else if let text = string(value, what: "default") {
                defaultValue = .text(text)
            }
            if required {
                error(at: entries["default"]?.key, "a field cannot be both required and have a default")
            }
        }
        var type = OutputType.auto
        if let value = entries["type"]?.value, let text = string(value, what: "type") {
            if let known = OutputType(rawValue: text) {
                type = known
            } else {
                error(at: value, "unknown type '\(text)'; expected auto, string, number or boolean")
            }
        }
        var join: String?
        if let value = entries["join"]?.value, let text = string(value, what: "join") { join = text }
        var list = false
        if let value = entries["list"]?.value, let flag = bool(value, what: "list") {
            list = flag
            if flag, join != nil { error(at: entries["list"]?.key, "list and join exclude each other") }
        }
        return ValueSpec(source: source, operations: operations, required: required, defaultValue: defaultValue,
                         type: type, join: join, list: list)
    }

    /// Parts of concat/sum/product: a plain text is a path, a mapping is a value with its own functions.
    mutating func valueParts(_ node: Node, what: String) -> [ValueSpec]? {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            error(at: node, "\(what) needs a list of parts (a text is a path; use {value: …} for a constant)")
            return nil
        }
        var parts: [ValueSpec] = []
        for item in sequence {
            switch item {
            case .scalar:
                guard let expression = path(item) else { return nil }
                parts.append(ValueSpec(source: .path(expression), operations: []))
            case .mapping:
                guard let inner = entries(of: item, what: "\(what) part", allowed: Self.valueKeys),
                      let spec = compileValue(item, entries: inner, ignoring: [])
                else { return nil }
                parts.append(spec)
            default:
                error(at: item, "\(what) parts are paths or mappings")
                return nil
            }
        }
        return parts
    }
}
