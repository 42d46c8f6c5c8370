/// One output field of a mapping, compiled.
final class FieldSpec: Sendable {
    /// Output name.
    let name: OutputName
    /// Dotted name for error messages (`halter.anschrift.ort`).
    let qualifiedName: String
    /// Only produced when this holds (evaluated in the field's context).
    let when: Condition?
    /// What the field holds.
    let body: Body

    init(name: OutputName, qualifiedName: String, when: Condition?, body: Body) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.when = when
        self.body = body
    }

    indirect enum Body: Sendable {
        /// A single value (or a list of values when the spec says `list`).
        case value(ValueSpec)
        /// A nested object / element.
        case group([FieldSpec])
        /// A repeating group: one item per node selected by `path`.
        case each(path: PathExpression, filter: Condition?, required: Bool, item: Body)
    }
}

/// How one value is computed: a source, then functions in the order written, then defaults and checks.
final class ValueSpec: Sendable {
    let source: ValueSource
    let operations: [ValueOperation]
    let required: Bool
    /// Used when the source yields nothing (or only empty values).
    let defaultValue: DefaultValue?
    /// Output type for JSON.
    let type: OutputType
    /// Joins several values into one.
    let join: String?
    /// Emits all values as a list.
    let list: Bool
    /// Whether a `codelist` function reads this value (then the source keeps XÖV code-list attributes).
    let usesCodeList: Bool
    /// The path this value reads, for error messages (computed once).
    let sourceDescription: String
    /// A plain path whose functions keep one value (no code list, split into parts, or list), so
    /// the evaluator can take its fast path.
    let isSingleValuePath: Bool

    init(source: ValueSource, operations: [ValueOperation], required: Bool = false, defaultValue: DefaultValue? = nil,
         type: OutputType = .auto, join: String? = nil, list: Bool = false) {
        self.source = source
        self.operations = operations
        self.required = required
        self.defaultValue = defaultValue
        self.type = type
        self.join = join
        self.list = list
        self.usesCodeList = operations.contains { if case .codeList = $0 { return true } else { return false } }
        self.sourceDescription = source.description
        var single = !list && !usesCodeList
        if case .path = source {} else { single = false }
        for case .split(_, nil) in operations { single = false }
        self.isSingleValuePath = single
    }
}

/// Where a value comes from.
indirect enum ValueSource: Sendable, CustomStringConvertible {
    case path(PathExpression)
    case constant(String)
    /// Parts joined; `separator` (if any) between non-empty parts, which also skips missing ones.
    case concat([ValueSpec], separator: String?)
    /// Decimal sum of all values of all parts (missing parts count as nothing).
    case sum([ValueSpec])
    /// Decimal sum of `item` evaluated for every node of `each`.
    case sumEach(PathExpression, ValueSpec)
    /// Decimal product of the parts (each must yield exactly one number).
    case product([ValueSpec])
    /// Number of nodes the path selects.
    case count(PathExpression)

    var description: String {
        switch self {
        case .path(let path): return path.source
        case .constant: return ""
        case .concat(let parts, _), .sum(let parts), .product(let parts):
            return parts.map(\.sourceDescription).filter { !$0.isEmpty }.joined(separator: ", ")
        case .sumEach(let each, let item): return each.source + "/" + item.sourceDescription
        case .count(let path): return path.source
        }
    }
}

/// What `default:` gives.
enum DefaultValue: Sendable {
    case text(String)
    /// YAML `null`: the field is written as JSON `null`.
    case null
}

/// Type of a value in JSON output.
enum OutputType: String, Sendable {
    /// Keep the source's type: JSON numbers and booleans stay numbers and booleans, all else is text.
    case auto
    case string
    case number
    case boolean
}

/// A function applied to each value.
enum ValueOperation: Sendable {
    case trim
    case upper
    case lower
    case replace(CompiledRegex, template: String)
    /// 1-based part; negative counts from the end; nil keeps all parts as separate values.
    case split(separator: String, index: Int?)
    case date(from: [DatePattern], to: [DatePattern])
    case number(NumberFormat)
    case codeList(CodeListLookup)
    case map([String: String], fallback: String?)
    /// Keeps the first `count` characters.
    case truncate(Int)
}
