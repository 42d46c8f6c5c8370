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
    /// Most CPU time one `matches` / `replace` may use.
    ///
    /// 100 ms: sane patterns finish on form values (a few KB at most) in microseconds, so this is
    /// over a thousand times their need and does not cut off a legitimate match even on a loaded
    /// machine; the first overrun fails the whole document, so a hostile value costs one limit per
    /// mapping, and an ingest request that hits it stays well inside clients' timeouts. It is a limit
    /// per evaluation, not a budget per document: many values each just under it still add up.
    /// A constant: making it configurable would thread a setting through loading and compiling.
    static let timeLimit: Duration = .milliseconds(100)

    /// Allowance per UTF-16 unit of the value on top of ``timeLimit``, so that a linear search over
    /// a long value (a base64 attachment held as text) is not cut off: `\s+` replaced in a 5 MB
    /// value took 370 ms under the progress callbacks (43 ms without them); 250 ns per unit gives
    /// that value 1.35 s. Backtracking that explodes is still stopped: it grows much faster than
    /// the value's length.
    static let timePerUTF16Unit: Duration = .nanoseconds(250)

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

    /// Calls `body` for each match until it returns false; stops once the search has used
    /// `limit(forUTF16Count:)` of this thread's CPU time.
    ///
    /// CPU time, not wall-clock time: on a loaded two-core machine a harmless search can be
    /// descheduled for longer than the limit, and a wall-clock limit would then dead-letter a good
    /// job. The clock is read every 64 callbacks (ICU calls back at every start position of a
    /// search, and reading a thread's CPU clock is a system call).
    private func enumerateMatches(in text: String, _ body: (NSTextCheckingResult) -> Bool) throws(RegexFailure) {
        let allowed = Self.limit(forUTF16Count: text.utf16.count)
        let limit = allowed.components.seconds * 1_000_000_000 + allowed.components.attoseconds / 1_000_000_000
        let start = Self.threadCPUNanoseconds()
        var callbacks = 0
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
                callbacks += 1
                if callbacks % 64 == 0 && Self.threadCPUNanoseconds() - start >= limit {
                    failure = .timeLimit(allowed)
                    stop.pointee = true
                }
            }
        }
        if let failure { throw RegexFailure(pattern: pattern, kind: failure) }
    }

    /// ``timeLimit`` plus ``timePerUTF16Unit`` for every UTF-16 unit of the value.
    static func limit(forUTF16Count count: Int) -> Duration {
        timeLimit + timePerUTF16Unit * count
    }

    /// CPU time this thread has used, in nanoseconds.
    private static func threadCPUNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
