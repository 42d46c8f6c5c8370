/// A regular expression evaluation was stopped at ``CompiledRegex/timeLimit``.
///
/// Carries the pattern (admin configuration), never the text it ran on (a citizen's value).
struct RegexTimeLimitExceeded: Error, Sendable, CustomStringConvertible {
    /// The pattern as written in the mapping.
    let pattern: String
    /// The limit that was exceeded.
    let limit: Duration

    var description: String {
        let milliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        return "regular expression '\(pattern)' exceeded its time limit of \(milliseconds) ms on this value"
            + " (catastrophic backtracking, e.g. nested quantifiers like (a+)+); simplify the pattern"
    }
}
