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
