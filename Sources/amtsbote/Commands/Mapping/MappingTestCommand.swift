import AmtsboteMapping
import ArgumentParser
import Foundation

/// `amtsbote mapping test MAPPING SUBMISSION`: prints exactly the body the target would receive.
struct MappingTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Map a submission with one mapping file and print exactly what the target would receive.",
        discussion: """
            The body goes to stdout byte for byte; a summary of separate attachment parts goes to stderr \
            (write them out with --parts DIR). Uses the code lists in the mapping file's codelists/ directory. \
            Exits 1 if the mapping does not compile, does not match the submission, or fails on it.
            """
    )

    @Argument(help: "The mapping file (YAML).")
    var mapping: String

    @Argument(help: "The submission file (XML or JSON).")
    var submission: String

    @Option(name: .long, help: "The portal's form id, for mappings that match on it.")
    var formID: String?

    @Option(name: .long, help: "Content type of the submission (default: from the file extension).")
    var contentType: String?

    @Flag(name: .long, help: "Also map when the mapping's match does not fit the submission.")
    var ignoreMatch = false

    @Option(name: .long, help: "Write attachment parts (mode: parts) into this directory.")
    var parts: String?

    func run() throws {
        let set: MappingSet
        do {
            set = try MappingSet.load(file: URL(fileURLWithPath: mapping))
        } catch let errors as MappingLoadErrors {
            MappingCLISupport.failLoading(errors)
        }
        guard let target = set.targets.first else {
            MappingCLISupport.fail("error: \(mapping): no mapping loaded", code: MappingCLISupport.mappingFailure)
        }
        let document = MappingCLISupport.readSubmission(submission, contentType: contentType)
        let mapped: MappedDocument
        do {
            if try set.matches(target: target, document: document, formID: formID) {
                mapped = try set.map(target: target, document: document, formID: formID, attachments: [])
            } else if ignoreMatch {
                mapped = try set.mapIgnoringMatch(target: target, document: document, attachments: [])
            } else {
                MappingCLISupport.fail("\(mapping): match does not fit \(submission); target '\(target)' would not receive it (--ignore-match maps anyway)",
                                       code: MappingCLISupport.mappingFailure)
            }
        } catch let error as MappingError {
            MappingCLISupport.fail("\(mapping): error: \(error)", code: MappingCLISupport.mappingFailure)
        }
        FileHandle.standardOutput.write(mapped.body)
        for (offset, part) in mapped.parts.enumerated() {
            FileHandle.standardError.write(Data("part \(offset + 1): \(part.name) (\(part.contentType), \(part.data.count) bytes)\n".utf8))
            if let parts {
                let directory = URL(fileURLWithPath: parts)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let safeName = part.name.replacingOccurrences(of: "/", with: "_")
                try part.data.write(to: directory.appendingPathComponent(String(format: "%02d-", offset + 1) + safeName))
            }
        }
    }
}
