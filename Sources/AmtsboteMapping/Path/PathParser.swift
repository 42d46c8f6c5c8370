/// Compiles path text into a ``PathExpression``, resolving prefixes through the mapping's namespaces.
package struct PathParser {
    /// Prefix → namespace URI, as declared in the mapping's `namespaces:`.
    package let namespaces: [String: String]
    private var chars: [Character] = []
    private var position = 0
    private var predicateDepth = 0
    /// Deepest nesting of `[…]` inside `[…]`; keeps a pathological path from exhausting the stack.
    static let maxPredicateDepth = 8

    /// Creates a parser for the prefixes of one mapping.
    package init(namespaces: [String: String]) {
        self.namespaces = namespaces
    }

    /// Parses `text`.
    /// - Throws: ``PathSyntaxError`` with the offset of the problem.
    package func parse(_ text: String) throws -> PathExpression {
        var parser = self
        parser.chars = Array(text)
        parser.position = 0
        guard !parser.chars.isEmpty else { throw PathSyntaxError(offset: 0, message: "empty path") }
        let expression = try parser.parsePath(source: text, nested: false)
        guard parser.position == parser.chars.count else {
            throw PathSyntaxError(offset: parser.position, message: "unexpected '\(parser.chars[parser.position])'")
        }
        return expression
    }

    private var atEnd: Bool { position >= chars.count }
    private var current: Character? { atEnd ? nil : chars[position] }

    private mutating func skipSpaces() {
        while let c = current, c == " " { position += 1 }
    }

    private mutating func parsePath(source: String, nested: Bool) throws -> PathExpression {
        var steps: [PathStep] = []
        var absolute = false
        var descendant = false
        if current == "/" {
            guard !nested else { throw PathSyntaxError(offset: position, message: "paths inside [ ] are relative") }
            absolute = true
            position += 1
            if current == "/" {
                descendant = true
                position += 1
            }
        }
        while true {
            let stepStart = position
            var step = try parseStep()
            if descendant {
                guard case .child(let test, let predicates) = step else {
                    throw PathSyntaxError(offset: stepStart, message: "'//' must be followed by a name or *")
                }
                step = .descendant(test, predicates)
                descendant = false
            }
            if let last = steps.last {
                switch last {
                case .attribute, .text:
                    throw PathSyntaxError(offset: stepStart, message: "no step may follow an attribute or text()")
                default: break
                }
            }
            steps.append(step)
            if current == "/" {
                position += 1
                if current == "/" {
                    descendant = true
                    position += 1
                }
                continue
            }
            break
        }
        let used = nested ? String(chars[...].prefix(position)) : source
        return PathExpression(isAbsolute: absolute, steps: steps, source: nested ? used : source)
    }

    private mutating func parseStep() throws -> PathStep {
        guard let c = current else { throw PathSyntaxError(offset: position, message: "step expected") }
        if c == "." {
            position += 1
            if current == "." {
                position += 1
                return .parent
            }
            return .current
        }
        if c == "@" {
            position += 1
            let test = try parseNameTest(isAttribute: true)
            return .attribute(test)
        }
        if matchesKeyword("text()") {
            position += 6
            return .text
        }
        let test = try parseNameTest(isAttribute: false)
        var predicates: [PathPredicate] = []
        while current == "[" {
            position += 1
            predicates.append(try parsePredicate())
        }
        return .child(test, predicates)
    }

    private func matchesKeyword(_ keyword: String) -> Bool {
        let k = Array(keyword)
        guard position + k.count <= chars.count else { return false }
        return Array(chars[position ..< position + k.count]) == k
    }

    private mutating func parseNameTest(isAttribute: Bool) throws -> PathNameTest {
        guard let c = current else { throw PathSyntaxError(offset: position, message: "name expected") }
        if c == "*" {
            position += 1
            return PathNameTest(name: nil, namespace: nil)
        }
        if c == "'" || c == "\"" {
            // Quoted key for JSON names that are not XML names ('Straße Nr.', 'a/b').
            let text = try parseQuoted()
            return PathNameTest(name: text, namespace: "")
        }
        let start = position
        let first = try parseNCName()
        if current == ":" {
            position += 1
            let local = try parseNCName()
            guard let uri = namespaces[first] else {
                throw PathSyntaxError(offset: start, message: "prefix '\(first)' is not declared in namespaces")
            }
            return PathNameTest(name: local, namespace: uri)
        }
        return PathNameTest(name: first, namespace: "")
    }

    private static func isNameStart(_ c: Character) -> Bool {
        c.isLetter || c == "_" || (!c.isASCII && !c.isWhitespace)
    }

    private static func isNameChar(_ c: Character) -> Bool {
        isNameStart(c) || c.isNumber || c == "-" || c == "."
    }

    private mutating func parseNCName() throws -> String {
        let start = position
        guard let c = current, Self.isNameStart(c) || c.isNumber else {
            if let c = current {
                throw PathSyntaxError(offset: position, message: "name expected, found '\(c)'")
            }
            throw PathSyntaxError(offset: position, message: "name expected at end of path")
        }
        position += 1
        while let c = current, Self.isNameChar(c) { position += 1 }
        return String(chars[start ..< position])
    }

    private mutating func parseQuoted() throws -> String {
        let quote = chars[position]
        let start = position
        position += 1
        var text = ""
        while let c = current, c != quote {
            text.append(c)
            position += 1
        }
        guard current == quote else { throw PathSyntaxError(offset: start, message: "unterminated quoted text") }
        position += 1
        return text
    }

    private mutating func parsePredicate() throws -> PathPredicate {
        predicateDepth += 1
        defer { predicateDepth -= 1 }
        guard predicateDepth <= Self.maxPredicateDepth else {
            throw PathSyntaxError(offset: position, message: "predicates nested deeper than \(Self.maxPredicateDepth)")
        }
        skipSpaces()
        guard let c = current else { throw PathSyntaxError(offset: position, message: "predicate expected after '['") }
        if c.isASCII, c.isNumber {
            let start = position
            while let d = current, d.isASCII, d.isNumber { position += 1 }
            guard let index = Int(String(chars[start ..< position])), index >= 1 else {
                throw PathSyntaxError(offset: start, message: "index must be 1 or more")
            }
            skipSpaces()
            try expect("]")
            return .index(index)
        }
        let lhsStart = position
        var lhs = try parsePath(source: "", nested: true)
        lhs.source = String(chars[lhsStart ..< position])
        skipSpaces()
        if current == "]" {
            position += 1
            return .exists(lhs)
        }
        let equal: Bool
        if current == "=" {
            equal = true
            position += 1
        } else if current == "!", position + 1 < chars.count, chars[position + 1] == "=" {
            equal = false
            position += 2
        } else {
            throw PathSyntaxError(offset: position, message: "expected '=', '!=' or ']'")
        }
        skipSpaces()
        let operand = try parseOperand()
        skipSpaces()
        try expect("]")
        return .compare(lhs, equal: equal, operand)
    }

    private mutating func parseOperand() throws -> PathOperand {
        guard let c = current else { throw PathSyntaxError(offset: position, message: "value expected after comparison") }
        if c == "'" || c == "\"" { return .literal(try parseQuoted()) }
        if matchesKeyword("current()") {
            position += 9
            return .current
        }
        if matchesKeyword("true") {
            position += 4
            return .literal("true")
        }
        if matchesKeyword("false") {
            position += 5
            return .literal("false")
        }
        let start = position
        while let d = current, d.isASCII, d.isNumber || d == "-" || d == "." || d == "+" || d == "e" || d == "E" { position += 1 }
        guard position > start else {
            throw PathSyntaxError(offset: start, message: "expected a quoted text, a number, true, false or current()")
        }
        return .literal(String(chars[start ..< position]))
    }

    private mutating func expect(_ c: Character) throws {
        guard current == c else {
            throw PathSyntaxError(offset: position, message: "expected '\(c)'")
        }
        position += 1
    }
}
