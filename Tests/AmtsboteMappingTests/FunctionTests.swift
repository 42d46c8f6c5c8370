import Foundation
import Testing
@testable import AmtsboteMapping

/// The field functions, each on its own.
@Suite struct FunctionTests {
    @Test(arguments: [
        ("yyyy-MM-dd", "2021-02-03", "dd.MM.yyyy", "03.02.2021"),
        ("xs:date", "2024-02-29", "d.M.yyyy", "29.2.2024"),
        ("xs:dateTime", "2025-02-14T10:05:33.120+01:00", "dd.MM.yyyy HH:mm:ss.SSS XXX", "14.02.2025 10:05:33.120 +01:00"),
        ("xs:dateTime", "2025-02-14T11:22:09Z", "yyyy-MM-dd'T'HH:mm[.SSS][XXX]", "2025-02-14T11:22Z"),
        ("ddMMyyyy", "12101965", "yyyy-MM-dd", "1965-10-12"),
        ("xs:gYearMonth", "2019-03", "MM/yyyy", "03/2019"),
        ("dd.MM.yyyy", "01.03.2025", "yyyyMMdd", "20250301"),
    ])
    func dateReformatting(_ from: String, _ input: String, _ to: String, _ expected: String) throws {
        let parts = try #require(try DatePattern(from).parse(input))
        #expect(try DatePattern(to).format(parts) == expected)
    }

    @Test(arguments: ["2021-02-30", "2023-02-29", "2021-13-01", "2021-1-01", "21-01-01", "2021-01-01x", "", "2021-00-10"])
    func invalidDatesAreRefused(_ input: String) throws {
        #expect(try DatePattern("yyyy-MM-dd").parse(input) == nil)
    }

    @Test func partialDateCannotFillAFullPattern() throws {
        let parts = try #require(try DatePattern("xs:gYear").parse("2016"))
        #expect(try DatePattern("dd.MM.yyyy").format(parts) == nil)
    }

    @Test(arguments: [
        ("5.00", nil, ".", "", "5.00"),
        ("5", 2, ",", "", "5,00"),
        ("1234567.891", 2, ",", ".", "1.234.567,89"),
        ("0.125", 2, ".", "", "0.13"),
        ("-0.125", 2, ".", "", "-0.13"),
        ("-0.001", 2, ".", "", "0.00"),
        ("2.5", 0, ".", "", "3"),
        ("1e3", 1, ",", "", "1000,0"),
        ("+7", nil, ".", "", "7"),
        ("85000.50", nil, ",", ".", "85.000,50"),
    ] as [(String, Int?, String, String, String)])
    func numberFormatting(_ input: String, _ decimals: Int?, _ decimalSeparator: String, _ grouping: String, _ expected: String) {
        let format = NumberFormat(decimals: decimals, decimalSeparator: decimalSeparator, groupingSeparator: grouping)
        #expect(format.format(input) == expected)
    }

    @Test(arguments: ["1,5", "abc", "1.", ".5", "--1", "1e", "0x10", ""])
    func nonNumbersAreRefused(_ input: String) {
        #expect(NumberFormat().format(input) == nil)
    }

    @Test func decimalSumIsExactWhereDoubleIsNot() throws {
        let items: [(String, String)] = [("1", "1.5"), ("1", "1.2"), ("4", "0.25"), ("2", "0.3"), ("1", "0.6"), ("1", "0.1")]
        let doubleSum = items.reduce(0.0) { $0 + Double($1.0)! * Double($1.1)! }
        #expect(doubleSum != 5.0)
        let decimalSum = items.reduce(Decimal(0)) { $0 + DecimalText.decimal($1.0)! * DecimalText.decimal($1.1)! }
        #expect(decimalSum == 5)
        #expect(NumberFormat(decimals: 2, decimalSeparator: ",").format(DecimalText.text(decimalSum)) == "5,00")
    }

    /// Maps `json` with a mapping whose fields are `fields` (YAML list items) and returns the compact JSON body.
    func map(_ json: String, fields: String, extra: [String: String] = [:], formID: String? = nil) throws -> String {
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(extra.merging(["t.yaml": "match: { format: json, where: { path: \".\", exists: true } }\noutput: { format: json, pretty: false }\nfields:\n" + fields]) { $1 }, to: dir)
            let set = try MappingSet.load(directory: dir)
            let document = try SourceDocument.parse(Data(json.utf8), contentType: "application/json")
            return String(decoding: try set.map(target: "t", document: document, formID: formID, attachments: []).body, as: UTF8.self)
        }
    }

    @Test func stringFunctionsApplyInTheOrderWritten() throws {
        let json = #"{"s": "  Hello, World  ", "n": "Erika Luise Mustermann"}"#
        let out = try map(json, fields: """
              - { name: a, path: s, trim: true, upper: true }
              - { name: b, path: s, trim: true, replace: { pattern: "o", with: "0" }, lower: true }
              - { name: c, path: s, lower: true, replace: { pattern: "^\\\\s+|\\\\s+$", with: "" }, truncate: 5 }
              - { name: d, path: n, split: { separator: " ", index: -1 } }
              - { name: e, path: n, split: { separator: " " }, list: true }
              - { name: f, path: n, split: { separator: " ", index: 1 }, upper: true }
              - { name: g, path: n, replace: { pattern: "^(\\\\w+) (\\\\w+) (\\\\w+)$", with: "$3, $1" } }
            """)
        #expect(out == #"{"a":"HELLO, WORLD","b":"hell0, w0rld","c":"hello","d":"Mustermann","e":["Erika","Luise","Mustermann"],"f":"ERIKA","g":"Mustermann, Erika"}"# + "\n")
    }

    @Test func constantsDefaultsConcatAndWhen() throws {
        let json = #"{"a": "x", "empty": "", "nul": null, "flag": true, "n": 3, "items": [{"k": "1", "v": "a"}, {"k": "2", "v": "b"}]}"#
        let out = try map(json, fields: """
              - { name: const, value: "fest" }
              - { name: dflt, path: empty, default: "leer" }
              - { name: dnull, path: nul, default: null }
              - { name: omitted, path: missing }
              - { name: cat, concat: [a, { value: "-" }, missing, n] }
              - { name: catsep, concat: [a, missing, empty, n], separator: "/" }
              - { name: yes, value: "1", when: { path: flag, equals: "true" } }
              - { name: no, value: "1", when: { not: { path: flag, equals: "true" } } }
              - { name: any, value: "1", when: { any: [{ path: a, equals: z }, { path: n, in: ["2", "3"] }] } }
              - { name: match, value: "1", when: { path: a, matches: "^[a-z]$" } }
              - { name: second, path: "items[2]/v" }
              - { name: byKey, path: "items[k = '2']/v" }
              - { name: notKey, path: "items[k != '2']/v" }
              - { name: count, count: items }
              - { name: typed, path: n, type: string }
              - { name: asNumber, path: "items[1]/k", type: number }
              - { name: asBool, value: "0", type: boolean }
            """)
        #expect(out == #"{"const":"fest","dflt":"leer","dnull":null,"cat":"x-3","catsep":"x/3","yes":"1","any":"1","match":"1","second":"b","byKey":"b","notKey":"a","count":2,"typed":"3","asNumber":1,"asBool":false}"# + "\n")
    }

    @Test func nestedEachAndCurrent() throws {
        let json = #"{"refs": [{"ids": ["A", "B"]}, {"ids": ["B"]}, {"ids": []}], "people": [{"id": "A", "name": "Ann"}, {"id": "B", "name": "Bob"}]}"#
        let out = try map(json, fields: """
              - name: groups
                each: refs
                fields:
                  - name: people
                    each: ids
                    path: /people[id = current()]/name
              - name: named
                each: people
                where: { path: name, matches: "^B" }
                path: id
            """)
        #expect(out == #"{"groups":[{"people":["Ann","Bob"]},{"people":["Bob"]},{"people":[]}],"named":["B"]}"# + "\n")
    }

    @Test func descendantSteps() throws {
        let json = #"{"a": {"name": "1", "b": [{"name": "2"}, {"c": {"name": "3"}}]}, "name": "0"}"#
        let out = try map(json, fields: """
              - { name: all, path: "//name", list: true }
              - { name: below, path: "a//name", list: true }
              - { name: second, path: "//name[2]" }
              - { name: deepC, path: "/a//c/name" }
            """)
        #expect(out == #"{"all":["1","2","3","0"],"below":["1","2","3"],"second":"2","deepC":"3"}"# + "\n")
    }

    @Test func codeListVersionComesFromTheDocument() throws {
        let lists = [
            "codelists/v1.csv": "# listURI: urn:farben\n# version: 1\ncode,name\nr,rot\n",
            "codelists/v2.csv": "# listURI: urn:farben\n# version: 2\ncode,name\nr,Rot (neu)\ng,grün\n",
        ]
        let fields = "  - { name: f, path: farbe, codelist: { list: urn:farben } }\n"
        #expect(try map(#"{"farbe": {"code": "r", "listURI": "urn:farben", "listVersionID": "1"}}"#, fields: fields, extra: lists) == "{\"f\":\"rot\"}\n")
        #expect(try map(#"{"farbe": {"code": "r", "listURI": "urn:farben", "listVersionID": "2"}}"#, fields: fields, extra: lists) == "{\"f\":\"Rot (neu)\"}\n")
        let pinned = "  - { name: f, path: farbe, codelist: { list: urn:farben, version: \"2\" } }\n"
        #expect(try map(#"{"farbe": "g"}"#, fields: pinned, extra: lists) == "{\"f\":\"grün\"}\n")
        let missingVersion = try #require(throws: MappingError.self) {
            try map(#"{"farbe": {"code": "r", "listVersionID": "3"}}"#, fields: fields, extra: lists)
        }
        #expect(missingVersion.code == .codeNotInList)
        #expect(missingVersion.reason.contains("version 3 is not loaded"))
        let unknownCode = try #require(throws: MappingError.self) {
            try map(#"{"farbe": {"code": "g", "listVersionID": "1"}}"#, fields: fields, extra: lists)
        }
        #expect(unknownCode.reason == "code is not in code list urn:farben version 1")
        let noVersion = try #require(throws: MappingError.self) { try map(#"{"farbe": "r"}"#, fields: fields, extra: lists) }
        #expect(noVersion.reason.contains("names no version"))
        let otherList = try #require(throws: MappingError.self) {
            try map(#"{"farbe": {"code": "r", "listURI": "urn:other", "listVersionID": "1"}}"#, fields: fields, extra: lists)
        }
        #expect(otherList.reason.contains("different code list"))
    }

    @Test func genericodeVersionSelectionInShippedLists() throws {
        let xml = String(decoding: try TestSupport.fixtureData("hundesteuer-anmeldung.xml"), as: UTF8.self)
            .replacingOccurrences(of: "listVersionID=\"2024-07-01\"", with: "listVersionID=\"2023-01-01\"")
        let set = try MappingSet.load(directory: TestSupport.shippedMappings)
        let document = try SourceDocument.parse(Data(xml.utf8), contentType: "application/xml")
        let body = String(decoding: try set.map(target: "hundesteuer", document: document, formID: nil, attachments: []).body, as: UTF8.self)
        #expect(body.contains("<st:rasse>Labrador</st:rasse>"))
    }
}
