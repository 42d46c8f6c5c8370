/// A regular expression evaluation that gave up on a value instead of answering.
///
/// Carries the pattern (admin configuration), never the text it ran on (a citizen's value). Both kinds
/// are reported as mapping errors, never as "no match": a silent "no match" would route, filter or
/// replace differently from what the admin wrote.
struct RegexFailure: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// Stopped at ``CompiledRegex/timeLimit`` (catastrophic backtracking).
        case timeLimit(Duration)
        /// ICU gave up itself (Foundation's `.internalError`): its backtracking memory limit, reached
        /// e.g. by a repeated group over a very long value.
        case backtrackLimit
    }

    /// The pattern as written in the mapping.
    let pattern: String
    let kind: Kind

    /// The mapping error code this failure is reported with.
    var code: MappingError.Code {
        switch kind {
        case .timeLimit: return .regexTimeLimit
        case .backtrackLimit: return .regexBacktrackLimit
        }
    }

    var description: String {
        switch kind {
        case .timeLimit(let limit):
            let milliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
            return "regular expression '\(pattern)' exceeded its time limit of \(milliseconds) ms on this value"
                + " (catastrophic backtracking, e.g. nested quantifiers like (a+)+); simplify the pattern"
        case .backtrackLimit:
            return "regular expression '\(pattern)' exceeded the regex engine's backtracking memory on this value"
                + " (e.g. a repeated group over a very long value); simplify the pattern"
        }
    }
}
