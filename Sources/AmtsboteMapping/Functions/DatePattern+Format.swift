extension DatePattern {
    /// Writes `parts`; nil if a field outside an optional section is unknown.
    func format(_ parts: DateParts) -> String? {
        var out = ""
        return Self.format(tokens, parts, &out) ? out : nil
    }

    private static func format(_ tokens: [Token], _ parts: DateParts, _ out: inout String) -> Bool {
        for token in tokens {
            switch token {
            case .literal(let literal, _):
                out += literal
            case .optional(let inner):
                var section = ""
                if format(inner, parts, &section) { out += section }
            case .field(let field, let width):
                switch field {
                case .year:
                    guard let year = parts.year else { return false }
                    out += pad(year, 4)
                case .month:
                    guard let month = parts.month else { return false }
                    out += width == 2 ? pad(month, 2) : String(month)
                case .day:
                    guard let day = parts.day else { return false }
                    out += width == 2 ? pad(day, 2) : String(day)
                case .hour:
                    guard let hour = parts.hour else { return false }
                    out += width == 2 ? pad(hour, 2) : String(hour)
                case .minute:
                    guard let minute = parts.minute else { return false }
                    out += pad(minute, 2)
                case .second:
                    guard let second = parts.second else { return false }
                    out += pad(second, 2)
                case .fraction:
                    guard let fraction = parts.fraction else { return false }
                    if width == 1 {
                        out += fraction
                    } else if fraction.count >= width {
                        out += fraction.prefix(width)
                    } else {
                        out += fraction + String(repeating: "0", count: width - fraction.count)
                    }
                case .zone:
                    guard let zone = parts.zone else { return false }
                    out += zone
                }
            }
        }
        return true
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
