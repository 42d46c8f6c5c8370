import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote submit FILE|- --target T…`: puts a submission into the spool and prints its id
/// (for operators and tests; the portal's path is the HTTP ingest).
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Put a submission into the spool and print its id."
    )

    @OptionGroup var spool: SpoolOptions

    @Argument(help: ArgumentHelp("The submission file, or - for standard input.", valueName: "file"))
    var file: String

    @Option(name: .customLong("target"), help: ArgumentHelp("A target to deliver to (repeat for more).", valueName: "name"))
    var targets: [String] = []

    @Option(help: "Content type (default: from the file name: .xml, .json; else application/octet-stream).")
    var contentType: String?

    @Option(help: "The client the submission is recorded for.")
    var client: String = "operator"

    @Option(help: "An idempotency key to store with it.")
    var idempotencyKey: String?

    @Option(help: "The form id to store with it.")
    var formID: String?

    func validate() throws {
        guard !targets.isEmpty else { throw ValidationError("at least one --target is required") }
    }

    func run() async throws {
        try await reportingFailures {
            let payload = try readInput()
            let control = try QueueControlFactory.open(spool, create: true)
            do {
                let receipt = try await control.submit(
                    NewMessage(
                        clientID: client,
                        contentType: contentType ?? Self.guessContentType(file),
                        targets: targets,
                        idempotencyKey: idempotencyKey,
                        formID: formID,
                        payload: payload
                    )
                )
                try await control.close()
                print(receipt.id)
            } catch {
                try? await control.close()
                throw error
            }
        }
    }

    private func readInput() throws -> Data {
        if file == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard FileManager.default.fileExists(atPath: file) else {
            throw CommandFailure(message: "\(file): no such file", code: ExitCodes.noInput)
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandFailure(message: "\(file): cannot read: \(error.localizedDescription)", code: ExitCodes.noInput)
        }
    }

    static func guessContentType(_ file: String) -> String {
        switch URL(fileURLWithPath: file).pathExtension.lowercased() {
        case "xml": "application/xml"
        case "json": "application/json"
        default: "application/octet-stream"
        }
    }
}
