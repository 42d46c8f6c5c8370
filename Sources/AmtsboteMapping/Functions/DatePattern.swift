/// A date/time pattern such as `yyyy-MM-dd` or `dd.MM.yyyy HH:mm`, compiled once.
///
/// Written by hand rather than with `DateFormatter` because re-formatting must not move a value
/// through a time zone or calendar: `2021-02-03` is printed as `03.02.2021` whatever the server's
/// zone, partial dates (`2019-03`, `2016`) stay partial, and invalid dates (`2021-02-30`) are refused.
///
/// Letters: `yyyy` year, `MM`/`M` month, `dd`/`d` day, `HH`/`H` hour, `mm` minute, `ss` second,
/// `S…` fraction of a second (parsing accepts 1–9 digits; formatting writes as many as the pattern has,
/// or the parsed digits for `S`), `XXX` zone (`Z` or `±hh:mm`). Text in `'…'` is literal, `''` is a quote.
/// `[…]` is optional: parsing may skip it, formatting writes it only if its fields are known.
struct DatePattern: Sendable, CustomStringConvertible {
    enum Field: Sendable, Equatable {
        case year, month, day, hour, minute, second, fraction, zone
    }

    indirect enum Token: Sendable {
        case field(Field, width: Int)
        /// Literal text and its UTF-8 (kept so parsing allocates nothing).
        case literal(String, [UInt8])
        case optional([Token])
    }

    let source: String
    let tokens: [Token]

    /// The pattern as written, with the expansion of an `xs:` alias (`xs:date (yyyy-MM-dd)`).
    var description: String {
        Self.aliases[source].map { "\(source) (\($0))" } ?? source
    }

    /// Well-known XML Schema formats, usable by name.
    static let aliases: [String: String] = [
        "xs:date": "yyyy-MM-dd",
        "xs:gYearMonth": "yyyy-MM",
        "xs:gYear": "yyyy",
        "xs:dateTime": "yyyy-MM-dd'T'HH:mm:ss[.S][XXX]",
        "xs:time": "HH:mm:ss[.S][XXX]",
    ]

    /// Compiles `source`.
    /// - Throws: ``DatePatternError`` with the character offset of the problem.
    init(_ source: String) throws {
        self.source = source
        let text = Array(Self.aliases[source] ?? source)
        var position = 0
        self.tokens = try Self.parseTokens(text, &position, nested: false)
    }

    struct DatePatternError: Error {
        var offset: Int
        var message: String
    }

    private static func parseTokens(_ text: [Character], _ position: inout Int, nested: Bool) throws -> [Token] {
        var tokens: [Token] = []
        while position < text.count {
            let c = text[position]
            switch c {
            case "[":
                position += 1
                tokens.append(.optional(try parseTokens(text, &position, nested: true)))
            case "]":
                guard nested else { throw DatePatternError(offset: position, message: "']' without '['") }
                position += 1
                return tokens
            case "'":
                position += 1
                var literal = ""
                if position < text.count, text[position] == "'" {
                    tokens.append(.literal("'", [UInt8(ascii: "'")]))
                    position += 1
                    continue
                }
                while position < text.count, text[position] != "'" {
                    literal.append(text[position])
                    position += 1
                }
                guard position < text.count else { throw DatePatternError(offset: position, message: "unterminated quoted text") }
                position += 1
                tokens.append(.literal(literal, Array(literal.utf8)))
            case "y", "M", "d", "H", "m", "s", "S", "X":
                let start = position
                while position < text.count, text[position] == c { position += 1 }
                let width = position - start
                let field: Field
                switch (c, width) {
                case ("y", 4): field = .year
                case ("M", 1), ("M", 2): field = .month
                case ("d", 1), ("d", 2): field = .day
                case ("H", 1), ("H", 2): field = .hour
                case ("m", 2): field = .minute
                case ("s", 2): field = .second
                case ("S", 1 ... 9): field = .fraction
                case ("X", 3): field = .zone
                default:
                    throw DatePatternError(offset: start, message: "unsupported pattern letters '\(String(repeating: c, count: width))' (use yyyy, MM, M, dd, d, HH, H, mm, ss, S…, XXX)")
                }
                tokens.append(.field(field, width: width))
            default:
                if c.isLetter {
                    throw DatePatternError(offset: position, message: "unknown pattern letter '\(c)'; quote literal text with '…'")
                }
                tokens.append(.literal(String(c), Array(String(c).utf8)))
                position += 1
            }
        }
        if nested { throw DatePatternError(offset: position, message: "'[' without ']'") }
        return tokens
    }
}
