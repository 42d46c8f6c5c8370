import Foundation
import Testing
@testable import AmtsboteMapping

/// `neutralizeFormulas`: CSV cells a spreadsheet would run as a formula get a leading `'`.
extension OutputFormatTests {
    /// One value per trigger character, a hostile DDE payload, and values that only look similar.
    static let formulaInput = #"""
        {"id": "1", "eq": "=1+1", "plus": "+SUM(A1:A9)", "minus": "-2+3+cmd|' /C calc'!A0", "at": "@SUM(A1)",
         "tab": "\t=1", "cr": "\r=1", "phone": "+49 30 1234", "neg": "-12.5", "pos": "+3", "comma": "-0,75",
         "num": -12.5, "grouped": "-1.234,50", "dash": "-", "text": "a=1", "quoted": "=HYPERLINK(\"http://x\";\"y\")"}
        """#

    /// The columns of ``formulaInput``, each named like its key.
    static let formulaColumns = ["eq", "plus", "minus", "at", "tab", "cr", "phone", "neg", "pos", "comma", "num", "grouped", "dash", "text", "quoted"]

    static func formulaMapping(options: String) -> String {
        """
        match: { where: { path: id, exists: true } }
        output: { format: csv, separator: ";", lineEnding: lf\(options) }
        fields:

        """ + formulaColumns.map { "  - { name: \($0), path: \($0) }\n" }.joined()
    }

    static let formulaHeader = formulaColumns.joined(separator: ";") + "\n"

    @Test func csvNeutralizesEveryFormulaTriggerButNotPlainNumbers() throws {
        let out = try map(Self.formulaInput, mapping: Self.formulaMapping(options: ", neutralizeFormulas: true"))
        let cells = [
            "'=1+1", "'+SUM(A1:A9)", "'-2+3+cmd|' /C calc'!A0", "'@SUM(A1)", "'\t=1",
            "\"'\r=1\"",                             // CR still forces RFC 4180 quotes, around the prefixed cell
            "'+49 30 1234",                          // a phone number is not a plain number
            "-12.5", "+3", "-0,75", "-12.5",         // plain decimal numbers stay as they are
            "'-1.234,50", "'-",                      // grouping separators or no digits: prefixed
            "a=1",                                   // a trigger later in the cell is harmless
            "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"", // prefixed, then quoted with its quotes doubled
        ]
        #expect(out == Self.formulaHeader + cells.joined(separator: ";") + "\n")
    }

    @Test func csvWithoutNeutralizeFormulasKeepsTheBytes() throws {
        let expected = Self.formulaHeader + [
            "=1+1", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\"\r=1\"", "+49 30 1234",
            "-12.5", "+3", "-0,75", "-12.5", "-1.234,50", "-", "a=1", "\"=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"",
        ].joined(separator: ";") + "\n"
        #expect(try map(Self.formulaInput, mapping: Self.formulaMapping(options: "")) == expected)
        #expect(try map(Self.formulaInput, mapping: Self.formulaMapping(options: ", neutralizeFormulas: false")) == expected)
    }

    @Test func csvNeutralizedCellsWithQuoteAllAndAQuoteSeparator() throws {
        let mapping = """
            match: { where: { path: id, exists: true } }
            output: { format: csv, separator: "SEP", lineEnding: crlf, quote: QUOTE, header: false, neutralizeFormulas: true }
            fields:
              - { name: eq, path: eq }
              - { name: neg, path: neg }
            """
        let all = mapping.replacingOccurrences(of: "SEP", with: ";").replacingOccurrences(of: "QUOTE", with: "all")
        #expect(try map(Self.formulaInput, mapping: all) == "\"'=1+1\";\"-12.5\"\r\n")
        // A `'` separator: the prefix itself makes the cell need quotes.
        let apostrophe = mapping.replacingOccurrences(of: "SEP", with: "'").replacingOccurrences(of: "QUOTE", with: "minimal")
        #expect(try map(Self.formulaInput, mapping: apostrophe) == "\"'=1+1\"'-12.5\r\n")
    }
}
