import Foundation
import Testing
@testable import AmtsboteMapping

/// Every kind of compile error names file:line:column and what was expected.
@Suite struct CompileErrorTests {
    /// Loads `yaml` as `m.yaml` (plus optional extra files) and returns the errors.
    func errors(_ yaml: String, extra: [String: String] = [:]) throws -> [MappingLoadError] {
        try TestSupport.withTemporaryDirectory { dir in
            try TestSupport.write(extra.merging(["m.yaml": yaml]) { $1 }, to: dir)
            do {
                _ = try MappingSet.load(directory: dir)
                return []
            } catch let failure as MappingLoadErrors {
                return failure.errors
            }
        }
    }

    func single(_ yaml: String, extra: [String: String] = [:]) throws -> MappingLoadError {
        let found = try errors(yaml, extra: extra)
        #expect(found.count == 1, "expected one error, got \(found)")
        return try #require(found.first)
    }

    let header = """
        match: { format: json, where: { path: a, exists: true } }
        output: { format: json }

        """

    @Test func yamlSyntaxError() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: [unclosed\n")
        #expect(error.file.hasSuffix("m.yaml"))
        #expect((error.line, error.column) == (6, 1))
        #expect(error.message.contains("YAML syntax error"))
        #expect(error.description.hasSuffix("m.yaml:6:1: \(error.message)"))
    }

    @Test func duplicateYAMLKey() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: a\n    path: b\n")
        #expect((error.line, error.column) == (5, 5))
        #expect(error.message.contains("duplicate key 'path'"))
    }

    @Test func unknownTopLevelKey() throws {
        let unknown = try #require(try errors(header + "feilds:\n  - { name: a, path: a }\n").first { $0.message.contains("feilds") })
        #expect((unknown.line, unknown.column) == (3, 1))
        #expect(unknown.message.contains("expected one of: target, description, namespaces, match, output, fields, attachments"))
    }

    @Test func unknownFieldKey() throws {
        let error = try #require(try errors(header + "fields:\n  - name: a\n    pfad: a\n").first { $0.message.contains("pfad") })
        #expect((error.line, error.column) == (5, 5))
        #expect(error.message.contains("unknown key 'pfad' in field"))
    }

    @Test func badPathPointsAtTheCharacter() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: betrieb/[1]\n")
        #expect((error.line, error.column) == (5, 19))
        #expect(error.message.contains("bad path 'betrieb/[1]'"))
        #expect(error.message.contains("name expected"))
    }

    @Test func badPathInQuotedScalar() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: \"a[b = ]\"\n")
        #expect((error.line, error.column) == (5, 18))
    }

    @Test func pathologicalPredicateNesting() throws {
        let path = String(repeating: "a[", count: 20) + "b" + String(repeating: "]", count: 20)
        let error = try single(header + "fields:\n  - name: a\n    path: \"\(path)\"\n")
        #expect(error.message.contains("predicates nested deeper than 8"))
        #expect((error.line, error.column) == (5, 12 + 18))
    }

    @Test func undeclaredPrefix() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: xhs:hund\n")
        #expect((error.line, error.column) == (5, 11))
        #expect(error.message.contains("prefix 'xhs' is not declared in namespaces"))
    }

    @Test func unknownFunction() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: a\n    uppercase: true\n")
        #expect((error.line, error.column) == (6, 5))
        #expect(error.message.contains("unknown key 'uppercase' in field (did you mean 'upper'?)"))
        let typo = try #require(try errors(header + "fields:\n  - name: a\n    path: a\n    codelst: { list: x }\n").first)
        #expect(typo.message.contains("(did you mean 'codelist'?)"))
    }

    @Test func missingCodeList() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: a\n    codelist: { list: \"urn:nowhere\" }\n")
        #expect((error.line, error.column) == (6, 23))
        #expect(error.message.contains("code list 'urn:nowhere' is not loaded"))
    }

    @Test func missingCodeListVersionAndColumn() throws {
        let list = "# listURI: urn:l\n# version: 1\ncode;name\na;Alpha\n"
        let version = try single(header + "fields:\n  - name: a\n    path: a\n    codelist: { list: urn:l, version: \"2\" }\n", extra: ["codelists/l.csv": list])
        #expect((version.line, version.column) == (6, 39))
        #expect(version.message.contains("has no version '2'; loaded: 1"))
        let column = try single(header + "fields:\n  - name: a\n    path: a\n    codelist: { list: urn:l, column: farbe }\n", extra: ["codelists/l.csv": list])
        #expect((column.line, column.column) == (6, 38))
        #expect(column.message.contains("no column 'farbe'; columns: code, name"))
    }

    @Test func brokenCodeListFile() throws {
        let error = try single(header + "fields:\n  - { name: a, path: a }\n", extra: ["codelists/l.csv": "# listURI: urn:l\n# version: 1\ncode;name\na;Alpha;extra\n"])
        #expect(error.file.hasSuffix("codelists/l.csv"))
        #expect((error.line, error.column) == (4, 1))
        #expect(error.message.contains("row has 3 fields, header has 2"))
    }

    @Test func badDatePatternPointsAtTheLetter() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: a\n    date: { from: yyyy-MM-dd, to: dd.QQ.yyyy }\n")
        #expect((error.line, error.column) == (6, 38))
        #expect(error.message.contains("unknown pattern letter 'Q'"))
    }

    @Test func badRegularExpression() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: a\n    replace: { pattern: \"(\", with: x }\n")
        #expect((error.line, error.column) == (6, 25))
        #expect(error.message.contains("not a valid regular expression"))
    }

    @Test func fieldWithoutNameOrValue() throws {
        let noName = try single(header + "fields:\n  - path: a\n")
        #expect((noName.line, noName.column) == (4, 5))
        #expect(noName.message.contains("field needs 'name'"))
        let noValue = try single(header + "fields:\n  - name: a\n    trim: true\n")
        #expect((noValue.line, noValue.column) == (4, 5))
        #expect(noValue.message.contains("field needs a value"))
    }

    @Test func twoSources() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: a\n    value: b\n")
        #expect((error.line, error.column) == (6, 5))
        #expect(error.message.contains("only one of path, value"))
    }

    @Test func duplicateFieldName() throws {
        let error = try single(header + "fields:\n  - { name: a, path: a }\n  - { name: a, path: b }\n")
        #expect((error.line, error.column) == (5, 5))
        #expect(error.message.contains("field name 'a' is used twice"))
    }

    @Test func wrongValueType() throws {
        let error = try single(header + "fields:\n  - name: a\n    path: a\n    required: yes please\n")
        #expect((error.line, error.column) == (6, 15))
        #expect(error.message.contains("required must be true or false"))
    }

    @Test func missingSections() throws {
        let found = try errors("target: x\n")
        #expect(found.map(\.message).contains { $0.contains("missing 'output'") })
        #expect(found.map(\.message).contains { $0.contains("missing 'match'") })
        #expect(found.map(\.message).contains { $0.contains("missing 'fields'") })
        #expect(found.allSatisfy { ($0.line, $0.column) == (1, 1) })
    }

    @Test func matchMustNotTakeEverything() throws {
        let error = try single("match: { format: json }\noutput: { format: json }\nfields: []\n")
        #expect((error.line, error.column) == (1, 8))
        #expect(error.message.contains("match needs at least one of root, formId or where"))
    }

    @Test func unknownOutputFormatAndXMLNames() throws {
        let format = try single("match: { formId: f }\noutput: { format: pdf }\nfields: []\n")
        #expect((format.line, format.column) == (2, 19))
        #expect(format.message.contains("expected json, xml or csv"))
        let name = try single("match: { formId: f }\noutput: { format: xml, root: r }\nfields:\n  - { name: \"1abc\", value: x }\n")
        #expect((name.line, name.column) == (4, 13))
        #expect(name.message.contains("not a valid XML name"))
        let prefix = try single("match: { formId: f }\noutput: { format: xml, root: r }\nfields:\n  - { name: \"st:x\", value: x }\n")
        #expect(prefix.message.contains("output prefix 'st' is not declared"))
    }

    @Test func csvCannotNest() throws {
        let error = try single("match: { formId: f }\noutput: { format: csv }\nfields:\n  - name: a\n    fields: [{ name: b, value: x }]\n")
        #expect((error.line, error.column) == (5, 5))
        #expect(error.message.contains("csv output has one value per column"))
    }

    @Test func neutralizeFormulasMustBeABooleanOnCSVOutput() throws {
        let csv = "match: { formId: f }\noutput:\n  format: csv\n  neutralizeFormulas: VALUE\nfields: []\n"
        let word = try single(csv.replacingOccurrences(of: "VALUE", with: "yes"))
        #expect((word.line, word.column) == (4, 23))
        #expect(word.message == "neutralizeFormulas must be true or false")
        let list = try single(csv.replacingOccurrences(of: "VALUE", with: "[true]"))
        #expect((list.line, list.column) == (4, 23))
        #expect(list.message == "neutralizeFormulas must be true or false")
        #expect(try errors(csv.replacingOccurrences(of: "VALUE", with: "true")).isEmpty)
        let misspelt = try single(csv.replacingOccurrences(of: "neutralizeFormulas: VALUE", with: "neutraliseFormulas: true"))
        #expect((misspelt.line, misspelt.column) == (4, 3))
        #expect(misspelt.message.contains("unknown key 'neutraliseFormulas' in output (did you mean 'neutralizeFormulas'?)"))
        let json = try single("match: { formId: f }\noutput: { format: json, neutralizeFormulas: true }\nfields: []\n")
        #expect((json.line, json.column) == (2, 25))
        #expect(json.message == "'neutralizeFormulas' applies only to csv output")
    }

    @Test func neutralizeFormulasRefusesAFormulaColumnName() throws {
        let yaml = "match: { formId: f }\noutput: { format: csv, neutralizeFormulas: true }\nfields:\n  - { name: ok, value: x }\n  - { name: \"=x\", value: x }\n"
        let error = try single(yaml)
        #expect((error.line, error.column) == (5, 13))
        #expect(error.message.contains("csv column name must not start with =, +, -, @"))
        // Without a header line the names never reach the file; a plain number is no formula.
        #expect(try errors(yaml.replacingOccurrences(of: "neutralizeFormulas: true", with: "neutralizeFormulas: true, header: false")).isEmpty)
        #expect(try errors(yaml.replacingOccurrences(of: "\"=x\"", with: "\"-1\"")).isEmpty)
    }

    @Test func fileNameMustBeATargetNameOrTargetGiven() throws {
        let body = "match: { formId: f }\noutput: { format: json }\nfields: []\n"
        let bad = try TestSupport.withTemporaryDirectory { dir -> [MappingLoadError] in
            try TestSupport.write(["hunde steuer.yaml": body, "ok.yaml": "target: hunde-steuer\n" + body], to: dir)
            do {
                _ = try MappingSet.load(directory: dir)
                return []
            } catch let failure as MappingLoadErrors {
                return failure.errors
            }
        }
        #expect(bad.count == 1)
        #expect(bad.first?.file.hasSuffix("hunde steuer.yaml") == true)
        #expect(bad.first?.message.contains("add 'target: NAME'") == true)
    }

    @Test func csvCodeListWithByteOrderMarkAndCRLF() throws {
        let list = "\u{FEFF}# listURI: urn:l\r\n# version: 1\r\ncode;name\r\na;Alpha\r\n"
        #expect(try errors(header + "fields:\n  - { name: a, path: a, codelist: { list: urn:l } }\n", extra: ["codelists/l.csv": list]).isEmpty)
    }

    @Test func everyErrorOfEveryFileIsReported() throws {
        let found = try errors(header + "fields:\n  - { name: a, pfad: a }\n  - { name: b, path: \"[\" }\n",
                               extra: ["z.yaml": "output: {format: json}\nmatch: {formId: f}\nfields: 3\n"])
        // m.yaml: unknown key 'pfad' and (so) no value on line 4, bad path on line 5; z.yaml: fields not a list.
        #expect(found.map(\.line) == [4, 4, 5, 3])
        #expect(found[3].file.hasSuffix("z.yaml"))
        #expect(found[3].message.contains("fields must be a list"))
    }
}
