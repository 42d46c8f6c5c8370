/// A test on the document: `when:` on fields and `where:` in `match`.
indirect enum Condition: Sendable {
    /// `path` selects a value equal (byte for byte) to one of `values` (negated by `negate`).
    case equals(PathExpression, [String], negate: Bool)
    /// `path` selects (or does not select) a non-empty value.
    case exists(PathExpression, Bool)
    /// `path` selects a value matching the regular expression.
    case matches(PathExpression, CompiledRegex)
    /// All conditions hold.
    case all([Condition])
    /// At least one condition holds.
    case any([Condition])
    /// The condition does not hold.
    case not(Condition)
}
