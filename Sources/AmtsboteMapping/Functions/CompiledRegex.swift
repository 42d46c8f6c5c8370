import Foundation

/// A regular expression compiled once at mapping load.
///
/// `@unchecked Sendable`: `NSRegularExpression` is immutable after creation and documented as safe to
/// use from several threads at once.
struct CompiledRegex: @unchecked Sendable {
    let pattern: String
    let expression: NSRegularExpression

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.expression = try NSRegularExpression(pattern: pattern)
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    func replace(in text: String, with template: String) -> String {
        expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}
