import Foundation

/// A regular expression compiled once at mapping load, evaluated under a time limit.
///
/// Patterns come from admins, values from citizens: a pattern with catastrophic backtracking can
/// run for minutes on one value and block a delivery worker or the ingest (measured without the
/// limit: `a*a*a*a*a*a*b` on 300 a's still ran after 45 s; `^(a+)+$` on 28 a's + b took 0.65 s). Every evaluation therefore stops at ``timeLimit`` and throws ``RegexFailure``, which
/// the evaluator reports as the mapping error `regex-time-limit` (or `regex-backtrack-limit` when
/// ICU gives up itself, which Foundation would otherwise report as "no match").
///
/// `@unchecked Sendable`: `NSRegularExpression` is immutable after creation and documented as safe to
/// use from several threads at once.
struct CompiledRegex: @unchecked Sendable {
    /// Longest one `matches` / `replace` may run.
    ///
    /// 100 ms: sane patterns finish on form values (a few KB at most) in microseconds, so this is
    /// over a thousand times their need and does not cut off a legitimate match even on a loaded
    /// machine; the first overrun fails the whole document, so a hostile value costs one limit per
    /// mapping, and an ingest request that hits it stays well inside clients' timeouts. It is a limit
    /// per evaluation, not a budget per document: many values each just under it still add up.
    /// A constant: making it configurable would thread a setting through loading and compiling.
    static let timeLimit: Duration = .milliseconds(100)

    let pattern: String
    let expression: NSRegularExpression

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.expression = try NSRegularExpression(pattern: pattern)
    }

    /// Whether the expression matches somewhere in `text`.
    /// - Throws: ``RegexFailure`` when the search ran longer than ``timeLimit`` or ICU gave up.
    func matches(_ text: String) throws(RegexFailure) -> Bool {
        var found = false
        try enumerateMatches(in: text) { _ in
            found = true
            return false
        }
        return found
    }

    /// `text` with every match replaced by `template` (`$1` for groups, `\` escapes), like
    /// `stringByReplacingMatches`, which cannot be stopped and so is not used.
    /// - Throws: ``RegexFailure`` when the search ran longer than ``timeLimit`` or ICU gave up.
    func replace(in text: String, with template: String) throws(RegexFailure) -> String {
        var found: [NSTextCheckingResult] = []
        try enumerateMatches(in: text) { match in
            found.append(match)
            return true
        }
        guard !found.isEmpty else { return text }
        // NSRange counts UTF-16 units; NSString slices by them exactly (also inside emoji).
        let source = NSString(string: text)
        var result = ""
        var copied = 0
        for match in found {
            result += source.substring(with: NSRange(location: copied, length: match.range.location - copied))
            result += expression.replacementString(for: match, in: text, offset: 0, template: template)
            copied = match.range.location + match.range.length
        }
        result += source.substring(from: copied)
        return result
    }

    /// Calls `body` for each match until it returns false; stops at the deadline.
    private func enumerateMatches(in text: String, _ body: (NSTextCheckingResult) -> Bool) throws(RegexFailure) {
        let deadline = ContinuousClock.now + Self.timeLimit
        var failure: RegexFailure.Kind?
        // `.reportProgress` makes ICU call back periodically during a long match, so the deadline is
        // checked even while one match attempt backtracks; `.reportCompletion` delivers the final
        // flags, where `.internalError` says ICU gave up (reported otherwise as no further match).
        let range = NSRange(location: 0, length: text.utf16.count)
        // Linux Foundation declares the block escaping, but it is only called during the enumeration.
        withoutActuallyEscaping(body) { body in
            expression.enumerateMatches(in: text, options: [.reportProgress, .reportCompletion], range: range) { match, flags, stop in
                if flags.contains(.internalError) {
                    failure = .backtrackLimit
                    stop.pointee = true
                    return
                }
                if let match, !body(match) {
                    stop.pointee = true
                    return
                }
                if ContinuousClock.now >= deadline {
                    failure = .timeLimit(Self.timeLimit)
                    stop.pointee = true
                }
            }
        }
        if let failure { throw RegexFailure(pattern: pattern, kind: failure) }
    }
}
