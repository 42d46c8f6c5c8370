extension DatePattern {
    /// Parses all of `text`; nil if it does not match or is not a real date (e.g. 30 February).
    func parse(_ text: String) -> DateParts? {
        var text = text
        return text.withUTF8 { bytes -> DateParts? in
            var parts = DateParts()
            var position = 0
            guard Self.parse(tokens, bytes, &position, &parts), position == bytes.count else { return nil }
            return Self.isValid(parts) ? parts : nil
        }
    }

    private static func parse(_ tokens: [Token], _ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ parts: inout DateParts) -> Bool {
        for token in tokens {
            switch token {
            case .literal(_, let expected):
                guard position + expected.count <= bytes.count else { return false }
                for k in 0 ..< expected.count where bytes[position + k] != expected[k] {
                    return false
                }
                position += expected.count
            case .optional(let inner):
                var tryPosition = position
                var tryParts = parts
                if parse(inner, bytes, &tryPosition, &tryParts) {
                    position = tryPosition
                    parts = tryParts
                }
            case .field(let field, let width):
                switch field {
                case .zone:
                    guard position < bytes.count else { return false }
                    if bytes[position] == UInt8(ascii: "Z") {
                        parts.zone = "Z"
                        position += 1
                    } else if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                        guard position + 6 <= bytes.count, bytes[position + 3] == UInt8(ascii: ":"),
                              let hours = number(bytes, position + 1, 2), let minutes = number(bytes, position + 4, 2),
                              hours <= 14, minutes < 60
                        else { return false }
                        parts.zone = String(decoding: UnsafeBufferPointer(rebasing: bytes[position ..< position + 6]), as: UTF8.self)
                        position += 6
                    } else {
                        return false
                    }
                case .fraction:
                    let start = position
                    while position < bytes.count, position - start < 9, isDigit(bytes[position]) { position += 1 }
                    guard position > start else { return false }
                    parts.fraction = String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< position]), as: UTF8.self)
                default:
                    // Two-letter (and yyyy) fields are fixed width; one-letter fields take 1 or 2 digits.
                    let fixed = width >= 2
                    let start = position
                    let maxDigits = field == .year ? 4 : 2
                    while position < bytes.count, position - start < maxDigits, isDigit(bytes[position]) { position += 1 }
                    let count = position - start
                    guard count > 0, !fixed || count == (field == .year ? 4 : 2), let value = number(bytes, start, count) else { return false }
                    switch field {
                    case .year: parts.year = value
                    case .month: parts.month = value
                    case .day: parts.day = value
                    case .hour: parts.hour = value
                    case .minute: parts.minute = value
                    case .second: parts.second = value
                    case .fraction, .zone: break
                    }
                }
            }
        }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for k in start ..< start + count {
            guard isDigit(bytes[k]) else { return nil }
            value = value * 10 + Int(bytes[k] - 0x30)
        }
        return value
    }

    private static func isValid(_ parts: DateParts) -> Bool {
        if let month = parts.month, !(1 ... 12).contains(month) { return false }
        if let day = parts.day {
            guard day >= 1 else { return false }
            let limit: Int
            switch parts.month {
            case 2?:
                if let year = parts.year {
                    limit = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
                } else {
                    limit = 29
                }
            case 4?, 6?, 9?, 11?: limit = 30
            default: limit = 31
            }
            guard day <= limit else { return false }
        }
        if let hour = parts.hour, hour > 23 { return false }
        if let minute = parts.minute, minute > 59 { return false }
        if let second = parts.second, second > 59 { return false }
        return true
    }
}
