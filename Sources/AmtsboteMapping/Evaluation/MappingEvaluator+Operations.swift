import Foundation

extension MappingEvaluator {
    /// Applies one function to every value (`split` without index may turn one value into several).
    func apply(_ operation: ValueOperation, to values: [EvaluatedValue], spec: ValueSpec, field: String) throws -> [EvaluatedValue] {
        var result: [EvaluatedValue] = []
        result.reserveCapacity(values.count)
        for value in values where !value.text.isEmpty {
            if case .split(let separator, nil) = operation {
                result.append(contentsOf: value.text.components(separatedBy: separator).map { EvaluatedValue(text: $0, kind: .string) })
            } else {
                result.append(try transform(operation, value, spec: spec, field: field))
            }
        }
        return result
    }

    /// Applies a function that maps one value to one value (every function but `split` without index).
    func transform(_ operation: ValueOperation, _ value: EvaluatedValue, spec: ValueSpec, field: String) throws -> EvaluatedValue {
        guard !value.text.isEmpty else { return value }
        var out = value
        out.kind = .string
        out.listURI = nil
        out.listVersion = nil
        switch operation {
        case .trim:
            out.text = ExactText.trimmed(value.text)
            out.kind = value.kind
        case .upper:
            out.text = value.text.uppercased()
        case .lower:
            out.text = value.text.lowercased()
        case .truncate(let count):
            out.text = String(value.text.prefix(count))
        case .replace(let regex, let template):
            do {
                out.text = try regex.replace(in: value.text, with: template)
            } catch {
                throw failure(error.code, field, spec.sourceDescription, error.description)
            }
        case .split(let separator, let index):
            let parts = value.text.components(separatedBy: separator)
            let position = index.map { $0 > 0 ? $0 - 1 : parts.count + $0 } ?? 0
            guard parts.indices.contains(position) else {
                throw failure(.splitIndexOutOfRange, field, spec.sourceDescription,
                              "split gives \(parts.count) parts, index \(index ?? 1) requested")
            }
            out.text = parts[position]
        case .date(let from, let to):
            var formatted: String?
            for (offset, pattern) in from.enumerated() {
                guard let parts = pattern.parse(value.text) else { continue }
                let target = to.count == 1 ? to[0] : to[offset]
                formatted = target.format(parts)
                if formatted == nil {
                    throw failure(.badDate, field, spec.sourceDescription,
                                  "date matched \(pattern) but lacks parts needed for \(target)")
                }
                break
            }
            guard let formatted else {
                throw failure(.badDate, field, spec.sourceDescription,
                              "value is not a valid date in \(from.map(\.description).joined(separator: " or "))")
            }
            out.text = formatted
        case .number(let format):
            guard let formatted = format.format(value.text) else {
                throw failure(.badNumber, field, spec.sourceDescription, "value is not a decimal number")
            }
            out.text = formatted
        case .map(let table, let fallback):
            if let mapped = table[value.text] {
                out.text = mapped
            } else if let fallback {
                out.text = fallback
            } else {
                throw failure(.valueNotMapped, field, spec.sourceDescription, "value has no entry in map")
            }
        case .codeList(let lookup):
            switch lookup.lookup(code: value.text, documentURI: value.listURI, documentVersion: value.listVersion) {
            case .success(let text):
                out.text = text
            case .failure(let reason):
                let detail: String
                switch reason {
                case .wrongList: detail = "document names a different code list than \(lookup.uri)"
                case .noVersion: detail = "document names no version and code list \(lookup.uri) has several; set version in the mapping"
                case .versionMissing(let version): detail = "code list \(lookup.uri) version \(version) is not loaded"
                case .codeMissing(let version): detail = "code is not in code list \(lookup.uri) version \(version)"
                case .columnMissing(let version): detail = "code list \(lookup.uri) version \(version) has no such column"
                }
                throw failure(.codeNotInList, field, spec.sourceDescription, detail)
            }
        }
        return out
    }

    /// Whether a condition holds with `context` as the current node.
    /// - Parameter field: what the condition belongs to, for errors (a field's name, or `match`).
    /// - Throws: ``MappingError`` `regex-time-limit` / `regex-backtrack-limit` when a `matches` pattern
    ///   gave up on a value (never answered as "does not hold": that would silently route or filter differently).
    func holds(_ condition: Condition, context: Int32, field: String) throws -> Bool {
        switch condition {
        case .equals(let path, let values, let negate):
            let found = document.select(path, from: context).contains { item in
                guard let text = document.text(of: item) else { return false }
                return values.contains { ExactText.equal($0, text) }
            }
            return found != negate
        case .exists(let path, let wanted):
            let found = document.select(path, from: context).contains { item in
                if let text = document.text(of: item) { return !text.isEmpty }
                return document.kind(of: item) == .object || document.kind(of: item) == .array
            }
            return found == wanted
        case .matches(let path, let regex):
            for item in document.select(path, from: context) {
                guard let text = document.text(of: item) else { continue }
                do {
                    if try regex.matches(text) { return true }
                } catch {
                    throw failure(error.code, field, path.source, error.description)
                }
            }
            return false
        case .all(let conditions):
            return try conditions.allSatisfy { try holds($0, context: context, field: field) }
        case .any(let conditions):
            return try conditions.contains { try holds($0, context: context, field: field) }
        case .not(let inner):
            return try !holds(inner, context: context, field: field)
        }
    }
}
