import AmtsboteMapping
import ArgumentParser
import Foundation

/// `amtsbote mapping route SUBMISSION`: which targets a submission would be routed to.
struct MappingRouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Print the targets a submission would be routed to, one per line.",
        discussion: "Exits 1 when no target takes the submission (the server would refuse it with 422)."
    )

    @Argument(help: "The submission file (XML or JSON).")
    var submission: String

    @Option(name: .long, help: "The mappings directory.")
    var mappings: String = "mappings"

    @Option(name: .long, help: "The portal's form id, for mappings that match on it.")
    var formID: String?

    @Option(name: .long, help: "Content type of the submission (default: from the file extension).")
    var contentType: String?

    func run() throws {
        let set: MappingSet
        do {
            set = try MappingSet.load(directory: URL(fileURLWithPath: mappings))
        } catch let errors as MappingLoadErrors {
            MappingCLISupport.failLoading(errors)
        }
        let document = MappingCLISupport.readSubmission(submission, contentType: contentType)
        let targets: [String]
        do {
            targets = try set.route(document, formID: formID)
        } catch let error as MappingError {
            MappingCLISupport.fail("\(submission): error: \(error) (the server would refuse it with 422)", code: MappingCLISupport.mappingFailure)
        }
        guard !targets.isEmpty else {
            MappingCLISupport.fail("\(submission): no target's match fits this submission (the server would refuse it with 422)",
                                   code: MappingCLISupport.mappingFailure)
        }
        print(targets.joined(separator: "\n"))
    }
}
