import Foundation

/// Evaluates one compiled mapping on one document.
///
/// Everything is computed into an ``OutputValue`` tree first and serialised only when all fields
/// succeeded, so a failing field never yields a half-mapped document.
struct MappingEvaluator {
    let mapping: CompiledMapping
    let document: SourceDocument

    func failure(_ code: MappingError.Code, _ field: String, _ source: String, _ reason: String) -> MappingError {
        MappingError(code, target: mapping.target, field: field, sourcePath: source, reason: reason)
    }

    /// Evaluates fields for one context node into members (fields whose `when` fails are left out).
    func members(_ fields: [FieldSpec], context: Int32) throws -> [OutputMember] {
        var members: [OutputMember] = []
        members.reserveCapacity(fields.count)
        for field in fields {
            if let when = field.when, try !holds(when, context: context, field: field.qualifiedName) { continue }
            if let value = try evaluate(field.body, field: field, context: context) {
                members.append(OutputMember(name: field.name, value: value))
            }
        }
        return members
    }

    private func evaluate(_ body: FieldSpec.Body, field: FieldSpec, context: Int32) throws -> OutputValue? {
        switch body {
        case .value(let spec):
            return try value(spec, field: field.qualifiedName, context: context)
        case .group(let fields):
            return .object(try members(fields, context: context))
        case .each(let path, let filter, let required, let item):
            var items: [OutputValue] = []
            var position = 0
            for selected in document.select(path, from: context) {
                guard case .node(let node) = selected else { continue }
                if let filter, try !holds(filter, context: node, field: field.qualifiedName) { continue }
                position += 1
                do {
                    if let value = try evaluate(item, field: field, context: node) { items.append(value) }
                } catch var error as MappingError {
                    // Name the item so the admin finds it: taetigkeiten[2].wz
                    if error.field.hasPrefix(field.qualifiedName) {
                        error.field = field.qualifiedName + "[\(position)]" + error.field.dropFirst(field.qualifiedName.count)
                    }
                    // Relative source paths are relative to the item; absolute ones stand as they are.
                    if !error.sourcePath.isEmpty, error.sourcePath != path.source, !error.sourcePath.hasPrefix("/") {
                        error.sourcePath = path.source + "[\(position)]/" + error.sourcePath
                    }
                    throw error
                }
            }
            if required, items.isEmpty {
                throw failure(.requiredValueMissing, field.qualifiedName, path.source, "required repeating group has no items")
            }
            return .array(items)
        }
    }

    /// Computes a value field: source, functions, then list/join, default/required and type.
    func value(_ spec: ValueSpec, field: String, context: Int32) throws -> OutputValue? {
        if spec.isSingleValuePath, case .path(let path) = spec.source {
            // Fast path for the common field: one path, one scalar, functions that keep one value.
            let (first, more) = document.selectFirst(path, from: context)
            if let first, !more, let kind = Self.scalarKind(document.kind(of: first)),
               let range = document.textRange(of: first), range.count > 0 {
                var value = EvaluatedValue(text: document.string(range), kind: kind)
                for operation in spec.operations {
                    value = try transform(operation, value, spec: spec, field: field)
                }
                if !value.text.isEmpty { return try typed(value, spec: spec, field: field) }
            }
        }
        var values = try sourceValues(spec, field: field, context: context)
        for operation in spec.operations {
            values = try apply(operation, to: values, spec: spec, field: field)
        }
        values.removeAll { $0.text.isEmpty }
        if values.isEmpty {
            if spec.required {
                throw failure(.requiredValueMissing, field, spec.sourceDescription, "required value is missing or empty")
            }
            switch spec.defaultValue {
            case .text(let text)?: values = [EvaluatedValue(text: text, kind: .string)]
            case .null?: return .null
            case nil: return spec.list ? .array([]) : nil
            }
        }
        if spec.list {
            return .array(try values.map { try typed($0, spec: spec, field: field) })
        }
        if values.count > 1 {
            guard let join = spec.join else {
                throw failure(.multipleValues, field, spec.sourceDescription,
                              "path selects \(values.count) values where one was expected (use join or list)")
            }
            let text = values.map(\.text).joined(separator: join)
            return try typed(EvaluatedValue(text: text, kind: .string), spec: spec, field: field)
        }
        return try typed(values[0], spec: spec, field: field)
    }

    /// The value kind of a scalar node; nil for nodes that are not a single value.
    private static func scalarKind(_ kind: DocumentNode.Kind) -> EvaluatedValue.Kind? {
        switch kind {
        case .string, .element: return .string
        case .number: return .number
        case .boolean: return .boolean
        case .null, .object, .array, .document: return nil
        }
    }

    private func typed(_ value: EvaluatedValue, spec: ValueSpec, field: String) throws -> OutputValue {
        switch spec.type {
        case .string:
            return .string(value.text)
        case .number:
            guard DecimalText.isJSONNumber(value.text) else {
                throw failure(.badNumber, field, spec.sourceDescription, "value is not a number (type: number)")
            }
            return .number(value.text)
        case .boolean:
            switch value.text {
            case "true", "1": return .boolean(true)
            case "false", "0": return .boolean(false)
            default: throw failure(.badBoolean, field, spec.sourceDescription, "value is not true/false/1/0 (type: boolean)")
            }
        case .auto:
            switch value.kind {
            case .string: return .string(value.text)
            case .number: return .number(value.text)
            case .boolean: return .boolean(value.text == "true")
            }
        }
    }

    /// The raw values of a source, before functions; JSON nulls and empty structures yield nothing.
    private func sourceValues(_ spec: ValueSpec, field: String, context: Int32) throws -> [EvaluatedValue] {
        switch spec.source {
        case .constant(let text):
            return [EvaluatedValue(text: text, kind: .string)]
        case .path(let path):
            let wantsCodes = spec.usesCodeList
            var values: [EvaluatedValue] = []
            for item in document.select(path, from: context) {
                if wantsCodes {
                    if let value = codeValue(item) { values.append(value) }
                    continue
                }
                switch document.kind(of: item) {
                case .null: continue
                case .object, .array, .document:
                    throw failure(.notAValue, field, path.source, "path selects a structure (object or array), not a value")
                case .number: values.append(EvaluatedValue(text: document.text(of: item) ?? "", kind: .number))
                case .boolean: values.append(EvaluatedValue(text: document.text(of: item) ?? "", kind: .boolean))
                case .string, .element: values.append(EvaluatedValue(text: document.text(of: item) ?? "", kind: .string))
                }
            }
            return values
        case .count(let path):
            return [EvaluatedValue(text: String(document.select(path, from: context).count), kind: .number)]
        case .concat(let parts, let separator):
            var texts: [String] = []
            var any = false
            for part in parts {
                let output = try value(part, field: field, context: context)
                let text = output?.scalarText ?? ""
                if output != nil, !text.isEmpty { any = true }
                if separator != nil, text.isEmpty { continue }
                texts.append(text)
            }
            guard any else { return [] }
            return [EvaluatedValue(text: texts.joined(separator: separator ?? ""), kind: .string)]
        case .sum(let parts):
            var total = DecimalSum()
            for part in parts {
                for text in try numberTexts(part, field: field, context: context) {
                    guard total.add(text) else {
                        throw failure(.badNumber, field, part.sourceDescription, "value is not a decimal number")
                    }
                }
            }
            return total.text.map { [EvaluatedValue(text: $0, kind: .number)] } ?? []
        case .sumEach(let path, let item):
            var total = DecimalSum()
            for selected in document.select(path, from: context) {
                guard case .node(let node) = selected else { continue }
                for number in try numbers(item, field: field, context: node) {
                    total.add(number)
                }
            }
            return total.text.map { [EvaluatedValue(text: $0, kind: .number)] } ?? []
        case .product(let parts):
            var result = Decimal(1)
            for part in parts {
                let numbers = try numbers(part, field: field, context: context)
                guard numbers.count == 1 else {
                    if numbers.isEmpty { return [] }
                    throw failure(.multipleValues, field, part.sourceDescription, "product parts must be single numbers")
                }
                result *= numbers[0]
            }
            return [EvaluatedValue(text: DecimalText.text(result), kind: .number)]
        }
    }

    /// The values of a part as exact decimals.
    private func numbers(_ spec: ValueSpec, field: String, context: Int32) throws -> [Decimal] {
        try numberTexts(spec, field: field, context: context).map { text in
            guard let number = DecimalText.decimal(text) else {
                throw failure(.badNumber, field, spec.sourceDescription, "value is not a decimal number")
            }
            return number
        }
    }

    /// The values of a part (functions applied, default filled in), not yet checked to be numbers.
    private func numberTexts(_ spec: ValueSpec, field: String, context: Int32) throws -> [String] {
        var values = try sourceValues(spec, field: field, context: context)
        for operation in spec.operations {
            values = try apply(operation, to: values, spec: spec, field: field)
        }
        if values.isEmpty, case .text(let text)? = spec.defaultValue {
            values = [EvaluatedValue(text: text, kind: .string)]
        }
        if values.isEmpty, spec.required {
            throw failure(.requiredValueMissing, field, spec.sourceDescription, "required value is missing or empty")
        }
        return values.compactMap { $0.text.isEmpty ? nil : $0.text }
    }

    /// A code and the list/version the document names for it: an XÖV code element
    /// (`<x listURI=… listVersionID=…><code>…</code></x>`), a JSON `{code, listURI, listVersionID}`
    /// object, or a bare code.
    private func codeValue(_ item: PathItem) -> EvaluatedValue? {
        guard case .node(let node) = item else {
            return document.text(of: item).map { EvaluatedValue(text: $0, kind: .string) }
        }
        let kind = document.nodes[Int(node)].kind
        if kind == .null { return nil }
        var codeNode: Int32?
        var uri: String?
        var version: String?
        for child in document.children(of: node) where document.nodes[Int(child)].namespace == 0 {
            let name = document.nodes[Int(child)].name
            if document.bytes(name, equal: "code") {
                codeNode = child
            } else if document.bytes(name, equal: "listURI") {
                uri = document.nodeText(child)
            } else if document.bytes(name, equal: "listVersionID") {
                version = document.nodeText(child)
            }
        }
        uri = document.attribute("listURI", of: node) ?? uri
        version = document.attribute("listVersionID", of: node) ?? version
        if let codeNode {
            // XÖV puts listURI/listVersionID on the element around <code>; some senders put them on <code>.
            uri = uri ?? document.attribute("listURI", of: codeNode)
            version = version ?? document.attribute("listVersionID", of: codeNode)
        }
        let text: String
        if let codeNode {
            text = document.nodeText(codeNode)
        } else if kind == .object || kind == .array {
            return nil
        } else {
            text = document.nodeText(node)
        }
        return EvaluatedValue(text: ExactText.trimmed(text), kind: .string, listURI: uri, listVersion: version)
    }
}
