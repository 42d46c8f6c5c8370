/// RFC 4180 CSV reading (quoted fields, doubled quotes, CRLF or LF), with the line of every record.
enum CSVReader {
    struct Record {
        var line: Int
        var fields: [String]
    }

    struct Failure: Error {
        var line: Int
        var column: Int
        var message: String
    }

    static func records(_ text: String, separator: Character) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var column = 0
        var inQuotes = false
        var quoteStart = (1, 1)
        var atFieldStart = true
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending {
                pending = nil
                return p
            }
            return iterator.next()
        }
        while let c = next() {
            column += 1
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" {
                            field.append("\"")
                            column += 1
                        } else {
                            inQuotes = false
                            pending = n
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" {
                        line += 1
                        column = 0
                    }
                    field.append(c)
                }
                continue
            }
            if c == "\"" && atFieldStart {
                inQuotes = true
                quoteStart = (line, column)
                atFieldStart = false
                continue
            }
            if c == separator {
                fields.append(field)
                field = ""
                atFieldStart = true
                continue
            }
            if c == "\n" || c == "\r\n" || c == "\r" {
                fields.append(field)
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                field = ""
                atFieldStart = true
                line += 1
                recordLine = line
                column = 0
                continue
            }
            field.append(c)
            atFieldStart = false
        }
        if inQuotes {
            throw Failure(line: quoteStart.0, column: quoteStart.1, message: "unterminated quoted field")
        }
        if !fields.isEmpty || !field.isEmpty {
            fields.append(field)
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}
