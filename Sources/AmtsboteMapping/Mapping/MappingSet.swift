import Foundation

/// All mappings of one `mappings/` directory, compiled; immutable and safe to share between tasks.
///
/// ```swift
/// let set = try MappingSet.load(directory: URL(fileURLWithPath: "mappings"))
/// let targets = try set.route(document, formID: nil)      // at accept time
/// let mapped = try set.map(target: "gewerbeamt", document: document, formID: nil, attachments: [])
/// ```
package struct MappingSet: Sendable {
    let mappings: [CompiledMapping]
    /// Code lists loaded with the set (for `mapping check` output).
    let codeLists: CodeListRegistry

    /// Names of all targets that have at least one mapping.
    package var targets: Set<String> { Set(mappings.map(\.target)) }

    /// Number of mapping files in the set.
    package var mappingCount: Int { mappings.count }

    /// Number of code list versions loaded.
    package var codeListCount: Int { codeLists.lists.values.reduce(0) { $0 + $1.count } }

    /// The mappings of each target, so mapping one job does not scan all of them.
    private let byTarget: [String: [CompiledMapping]]

    init(mappings: [CompiledMapping], codeLists: CodeListRegistry) {
        self.mappings = mappings
        self.codeLists = codeLists
        self.byTarget = Dictionary(grouping: mappings, by: \.target)
    }

    /// An empty set (no targets): routes nothing.
    package static let empty = MappingSet(mappings: [], codeLists: CodeListRegistry())

    /// Loads and compiles every `*.yaml` / `*.yml` in `directory` and the code lists in `directory/codelists/`.
    /// - Throws: ``MappingLoadErrors`` listing every problem in every file as `file:line:column: message`.
    package static func load(directory: URL) throws -> MappingSet {
        let display = directory.relativePathForMessages
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MappingLoadErrors([MappingLoadError(file: display, line: 0, column: 0, message: "mapping directory does not exist")])
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
            .sorted()
        return try load(files: names.map { directory.appendingPathComponent($0) }, codeListDirectory: directory.appendingPathComponent("codelists"))
    }

    /// Loads one mapping file with the code lists of its directory (`amtsbote mapping test`), so a
    /// file can be tried while other files of the directory are still being edited.
    /// - Throws: ``MappingLoadErrors``.
    package static func load(file: URL) throws -> MappingSet {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw MappingLoadErrors([MappingLoadError(file: file.relativePathForMessages, line: 0, column: 0, message: "mapping file does not exist")])
        }
        return try load(files: [file], codeListDirectory: file.deletingLastPathComponent().appendingPathComponent("codelists"))
    }

    private static func load(files: [URL], codeListDirectory: URL) throws -> MappingSet {
        var errors: [MappingLoadError] = []
        let (codeLists, codeListErrors) = CodeListLoader.load(
            directory: codeListDirectory,
            displayPrefix: codeListDirectory.relativePathForMessages + "/"
        )
        errors += codeListErrors
        var mappings: [CompiledMapping] = []
        for url in files {
            let file = url.relativePathForMessages
            let name = url.lastPathComponent
            guard let data = FileManager.default.contents(atPath: url.path) else {
                errors.append(MappingLoadError(file: file, line: 0, column: 0, message: "cannot read file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(MappingLoadError(file: file, line: 1, column: 1, message: "file is not valid UTF-8"))
                continue
            }
            var compiler = MappingCompiler(file: file, codeLists: codeLists)
            let base = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name.hasSuffix(".yml") ? String(name.dropLast(4)) : name
            if let mapping = compiler.compile(text, defaultTarget: MappingCompiler.isValidTargetName(base) ? base : nil) {
                mappings.append(mapping)
            }
            errors += compiler.errors
        }
        guard errors.isEmpty else { throw MappingLoadErrors(errors) }
        return MappingSet(mappings: mappings, codeLists: codeLists)
    }

    /// Whether a mapping of `target` matches the document (for `mapping test`, which maps even a
    /// submission the target would not get when asked to).
    /// - Throws: ``MappingError`` `regex-time-limit` / `regex-backtrack-limit` when a `matches` pattern gave up.
    package func matches(target: String, document: SourceDocument, formID: String?) throws -> Bool {
        try (byTarget[target] ?? []).contains { try $0.matches(document, formID: formID) }
    }

    /// Maps with the target's only mapping, ignoring `match` (`amtsbote mapping test --ignore-match`).
    package func mapIgnoringMatch(target: String, document: SourceDocument, attachments: [MappingAttachment]) throws -> MappedDocument {
        let candidates = byTarget[target] ?? []
        guard candidates.count == 1, let mapping = candidates.first else {
            throw MappingError(.ambiguousMapping, target: target, field: "", sourcePath: "",
                               reason: "\(candidates.count) mappings for this target; cannot ignore match")
        }
        return try mapping.run(document, attachments: attachments)
    }

    /// The targets whose `match` fits the document, sorted and unique. Empty means no target takes it
    /// (the ingest refuses such a submission with 422).
    /// - Parameters:
    ///   - document: the parsed submission.
    ///   - formID: the portal's form id, if the submission came with one.
    /// - Throws: ``MappingError`` `regex-time-limit` / `regex-backtrack-limit` (field `match`) when a
    ///   `matches` pattern gave up on a value: the submission cannot be routed reliably, so it is
    ///   refused, not misrouted.
    package func route(_ document: SourceDocument, formID: String?) throws -> [String] {
        var targets: Set<String> = []
        for mapping in mappings where try !targets.contains(mapping.target) && mapping.matches(document, formID: formID) {
            targets.insert(mapping.target)
        }
        return targets.sorted()
    }

    /// Maps the document for one target.
    ///
    /// Runs at delivery time, so a fixed mapping applies to every job still waiting.
    /// - Throws: ``MappingError`` naming target, field and source path; no partial output is ever returned.
    package func map(target: String, document: SourceDocument, formID: String?, attachments: [MappingAttachment]) throws -> MappedDocument {
        let candidates = byTarget[target] ?? []
        guard !candidates.isEmpty else {
            throw MappingError(.unknownTarget, target: target, field: "", sourcePath: "", reason: "no mapping is loaded for this target")
        }
        if candidates.count == 1, try candidates[0].matches(document, formID: formID) {
            return try candidates[0].run(document, attachments: attachments)
        }
        let fitting = try candidates.filter { try $0.matches(document, formID: formID) }
        guard let mapping = fitting.first else {
            throw MappingError(.noMatchingMapping, target: target, field: "", sourcePath: "",
                               reason: "no mapping of this target matches the submission")
        }
        guard fitting.count == 1 else {
            throw MappingError(.ambiguousMapping, target: target, field: "", sourcePath: "",
                               reason: "several mappings match the submission: \(fitting.map(\.file).joined(separator: ", "))")
        }
        return try mapping.run(document, attachments: attachments)
    }

    /// The mapping files (as displayed in messages) of a target.
    package func files(of target: String) -> [String] {
        (byTarget[target] ?? []).map(\.file)
    }
}
