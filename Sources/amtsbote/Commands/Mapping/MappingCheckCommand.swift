import AmtsboteMapping
import ArgumentParser
import Foundation

/// `amtsbote mapping check [DIR]`: compiles every mapping and code list, lists every error.
struct MappingCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile every mapping and code list in DIR; list every error as file:line:column.",
        discussion: "Exits 0 when all files compile, 1 with every error listed otherwise."
    )

    @Argument(help: "The mappings directory.")
    var directory: String = "mappings"

    func run() throws {
        do {
            let set = try MappingSet.load(directory: URL(fileURLWithPath: directory))
            let targets = set.targets.sorted()
            print("\(directory): \(set.mappingCount) mapping\(set.mappingCount == 1 ? "" : "s"), "
                + "\(set.codeListCount) code list version\(set.codeListCount == 1 ? "" : "s"); "
                + "targets: \(targets.isEmpty ? "(none)" : targets.joined(separator: ", "))")
        } catch let errors as MappingLoadErrors {
            MappingCLISupport.failLoading(errors)
        }
    }
}
