import AmtsboteSpool
import ArgumentParser
import Foundation

/// `amtsbote queue show ID [--payload | --attachment NAME] [--json]`: envelope, jobs, attempt
/// history, or the original bytes (document or one attachment) unchanged.
struct QueueShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one message: envelope, jobs, attempts.")

    @OptionGroup var spool: SpoolOptions

    @Argument(help: ArgumentHelp("The message id.", valueName: "id"))
    var id: String

    @Flag(help: "Print the original payload bytes unchanged (nothing else).")
    var payload = false

    @Option(help: ArgumentHelp("Print the bytes of the attachment with this part name unchanged (nothing else).", valueName: "name"))
    var attachment: String?

    @Flag(help: "One JSON object with the envelope and the jobs with their attempt history.")
    var json = false

    func validate() throws {
        guard MessageID(id) != nil else { throw ValidationError("'\(id)' is not a message id (26 characters, Crockford base32)") }
        guard [payload, json, attachment != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("--payload, --attachment and --json cannot be combined")
        }
    }

    func run() async throws {
        let messageID = MessageID(id)!
        try await withQueueControl(spool) { control in
            var output = OutputBuffer()
            if payload {
                output.raw(try await control.payload(messageID).payload)
                return
            }
            if let attachment {
                // Part names are compared as bytes: two spellings of an umlaut are two names.
                let stored = try await control.payload(messageID).attachments
                guard let match = stored.first(where: { Array($0.name.utf8) == Array(attachment.utf8) }) else {
                    throw SpoolError(.unknownID, "message \(messageID) has no attachment named \(attachment)")
                }
                output.raw(match.data)
                return
            }
            guard let message = try await control.message(messageID) else {
                throw SpoolError(.unknownID, "no message \(messageID) in the spool")
            }
            if json {
                output.line(JSONLine.encode(MessageJSON(snapshot: message)))
            } else {
                for line in Self.describe(message) { output.line(line) }
            }
            output.flush()
        }
    }

    static func describe(_ message: MessageSnapshot) -> [String] {
        var lines = [
            "id:               \(message.id)",
            "received:         \(Timestamp.iso8601(message.receivedAt))",
            "client:           \(message.clientID)",
            "content type:     \(message.contentType)",
            "payload:          \(message.payloadBytes) bytes",
            "targets:          \(message.targets.joined(separator: ", "))",
        ]
        if let form = message.formID { lines.append("form:             \(form)") }
        if let key = message.idempotencyKey { lines.append("idempotency key:  \(key)") }
        if let digest = message.contentDigest { lines.append("content digest:   \(digest)") }
        for attachment in message.attachments {
            lines.append("attachment:       \(attachment.name) \(attachment.filename ?? "-") \(attachment.contentType) \(attachment.size) bytes")
        }
        for job in message.jobs {
            var line = "job \(job.target): \(job.state)"
            if let next = job.nextAttemptAt { line += ", next attempt \(Timestamp.iso8601(next))" }
            if let delivered = job.deliveredAt { line += ", delivered \(Timestamp.iso8601(delivered))" }
            lines.append(line)
            for attempt in job.attempts {
                var text = "  attempt \(Timestamp.iso8601(attempt.at)) \(attempt.outcome)"
                if let status = attempt.status { text += " status \(status)" }
                if let error = attempt.error { text += " error \(error)" }
                lines.append(text)
            }
        }
        return lines
    }
}
