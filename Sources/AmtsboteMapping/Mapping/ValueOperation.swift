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
