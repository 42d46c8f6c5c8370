import Foundation

/// Loads every code list in `mappings/codelists/`: CSV files with a small metadata header, and
/// genericode XML, the format XÖV code lists are published in (e.g. on XRepository).
///
/// CSV layout (`;` or `,` separated, detected from the header line):
/// ```
/// # listURI: urn:example:codeliste:hunderassen
/// # version: 2024-07-01
/// code;name
/// 122;Labrador Retriever
/// ```
/// An optional `# key: COLUMN` names the code column (default: the first).
enum CodeListLoader {
    static let genericodeNamespace = "http://docs.oasis-open.org/codelist/ns/genericode/1.0/"

    /// Loads all lists in `directory` (missing directory = no lists).
    static func load(directory: URL, displayPrefix: String) -> (CodeListRegistry, [MappingLoadError]) {
        var registry = CodeListRegistry()
        var errors: [MappingLoadError] = []
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in files.sorted() {
            let lower = name.lowercased()
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".xml") || lower.hasSuffix(".gc") else { continue }
            let url = directory.appendingPathComponent(name)
            let display = displayPrefix + name
            let result: Result<CodeList, MappingLoadError>
            do {
                let data = try Data(contentsOf: url)
                result = lower.hasSuffix(".csv") ? readCSV(data, file: display) : readGenericode(data, file: display)
            } catch {
                result = .failure(MappingLoadError(file: display, line: 0, column: 0, message: "cannot read file"))
            }
            switch result {
            case .failure(let error):
                errors.append(error)
            case .success(let list):
                if let existing = registry.lists[list.uri]?[list.version] {
                    errors.append(MappingLoadError(file: display, line: 1, column: 1,
                                                   message: "code list \(list.uri) version \(list.version) is also defined in \(existing.file)"))
                } else {
                    registry.lists[list.uri, default: [:]][list.version] = list
                }
            }
        }
        return (registry, errors)
    }

    static func readCSV(_ data: Data, file: String) -> Result<CodeList, MappingLoadError> {
        guard var text = String(data: data, encoding: .utf8) else {
            return .failure(MappingLoadError(file: file, line: 1, column: 1, message: "code list is not valid UTF-8"))
        }
        // Spreadsheet programs save CSV with a byte order mark.
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var metadata: [String: String] = [:]
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        var skipped = 0
        while let first = lines.first, first.hasPrefix("#") {
            let entry = first.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines)
            if let colon = entry.firstIndex(of: ":") {
                let key = entry[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = entry[entry.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                guard ["listuri", "version", "listversionid", "key", "name"].contains(key) else {
                    return .failure(MappingLoadError(file: file, line: skipped + 1, column: 3,
                                                     message: "unknown code list header '\(key)'; expected listURI, version, key or name"))
                }
                metadata[key == "listversionid" ? "version" : key] = value
            }
            lines.removeFirst()
            skipped += 1
        }
        guard let uri = metadata["listuri"], !uri.isEmpty else {
            return .failure(MappingLoadError(file: file, line: 1, column: 1, message: "code list needs a '# listURI: …' header line"))
        }
        guard let version = metadata["version"], !version.isEmpty else {
            return .failure(MappingLoadError(file: file, line: 1, column: 1, message: "code list needs a '# version: …' header line"))
        }
        let body = lines.joined(separator: "\n")
        let headerLine = lines.first.map(String.init) ?? ""
        let separator: Character = headerLine.contains(";") ? ";" : ","
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(body, separator: separator).filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        } catch let failure as CSVReader.Failure {
            return .failure(MappingLoadError(file: file, line: failure.line + skipped, column: failure.column, message: failure.message))
        } catch {
            return .failure(MappingLoadError(file: file, line: 1, column: 1, message: "cannot read CSV"))
        }
        guard let header = records.first else {
            return .failure(MappingLoadError(file: file, line: skipped + 1, column: 1, message: "code list has no header line"))
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var keyColumn = 0
        if let key = metadata["key"] {
            guard let index = columns.firstIndex(of: key) else {
                return .failure(MappingLoadError(file: file, line: header.line + skipped, column: 1, message: "key column '\(key)' is not in the header"))
            }
            keyColumn = index
        }
        var rows: [String: [String]] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                return .failure(MappingLoadError(file: file, line: record.line + skipped, column: 1,
                                                 message: "row has \(record.fields.count) fields, header has \(columns.count)"))
            }
            let code = record.fields[keyColumn]
            guard rows[code] == nil else {
                return .failure(MappingLoadError(file: file, line: record.line + skipped, column: 1, message: "code '\(code)' appears twice"))
            }
            rows[code] = record.fields
        }
        return .success(CodeList(uri: uri, version: version, columns: columns, keyColumn: keyColumn, rows: rows, file: file))
    }

    static func readGenericode(_ data: Data, file: String) -> Result<CodeList, MappingLoadError> {
        let document: SourceDocument
        do {
            document = try SourceDocument.parse(data, contentType: "application/xml")
        } catch let error as DocumentError {
            return .failure(MappingLoadError(file: file, line: error.line, column: error.column, message: error.reason))
        } catch {
            return .failure(MappingLoadError(file: file, line: 1, column: 1, message: "cannot read genericode"))
        }
        func fail(_ message: String) -> Result<CodeList, MappingLoadError> {
            .failure(MappingLoadError(file: file, line: 1, column: 1, message: message))
        }
        let root = document.rootElement
        guard document.name(of: root) == "CodeList", document.namespace(of: root) == genericodeNamespace else {
            return fail("not a genericode 1.0 CodeList (root element must be gc:CodeList in \(genericodeNamespace))")
        }
        // Genericode's inner elements are unqualified; tolerate qualified ones too.
        func child(_ node: Int32, _ name: String) -> Int32? {
            document.children(of: node).first { document.name(of: $0) == name }
        }
        func childrenNamed(_ node: Int32, _ name: String) -> [Int32] {
            document.children(of: node).filter { document.name(of: $0) == name }
        }
        func attribute(_ node: Int32, _ name: String) -> String? {
            document.attribute(name, of: node)
        }
        guard let identification = child(root, "Identification") else { return fail("genericode has no Identification") }
        guard let uriNode = child(identification, "CanonicalUri") else { return fail("genericode has no Identification/CanonicalUri") }
        guard let versionNode = child(identification, "Version") else { return fail("genericode has no Identification/Version") }
        let uri = document.nodeText(uriNode).trimmingCharacters(in: .whitespacesAndNewlines)
        let version = document.nodeText(versionNode).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let columnSet = child(root, "ColumnSet") else { return fail("genericode has no ColumnSet") }
        var columnIDs: [String] = []
        var columns: [String] = []
        for column in childrenNamed(columnSet, "Column") {
            guard let id = attribute(column, "Id") else { return fail("genericode Column without Id") }
            columnIDs.append(id)
            let shortName = child(column, "ShortName").map { document.nodeText($0) } ?? id
            columns.append(shortName)
        }
        guard !columns.isEmpty else { return fail("genericode ColumnSet has no Column") }
        var keyColumn = 0
        if let key = child(columnSet, "Key"), let ref = child(key, "ColumnRef"), let refID = attribute(ref, "Ref") {
            guard let index = columnIDs.firstIndex(of: refID) else { return fail("genericode Key refers to unknown column \(refID)") }
            keyColumn = index
        }
        guard let simpleCodeList = child(root, "SimpleCodeList") else { return fail("genericode has no SimpleCodeList") }
        var rows: [String: [String]] = [:]
        for row in childrenNamed(simpleCodeList, "Row") {
            var values = Array(repeating: "", count: columns.count)
            var next = 0
            for value in childrenNamed(row, "Value") {
                let index: Int
                if let ref = attribute(value, "ColumnRef") {
                    guard let found = columnIDs.firstIndex(of: ref) else { return fail("genericode Value refers to unknown column \(ref)") }
                    index = found
                } else {
                    index = next
                }
                guard index < values.count else { return fail("genericode Row has more values than columns") }
                values[index] = child(value, "SimpleValue").map { document.nodeText($0) } ?? ""
                next = index + 1
            }
            let code = values[keyColumn]
            guard rows[code] == nil else { return fail("code '\(code)' appears twice") }
            rows[code] = values
        }
        return .success(CodeList(uri: uri, version: version, columns: columns, keyColumn: keyColumn, rows: rows, file: file))
    }
}
