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
