import AmtsboteSpool
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension HTTPField.Name {
    /// `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// `Idempotent-Replayed: true` on a repeated receipt.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    /// `Form-ID`: the portal's form identifier, offered to the mappings' match rules.
    static let formID = HTTPField.Name("Form-ID")!
}

extension PortalRoutes {
    /// `POST /v1/submissions`.
    func submit(_ request: Request, context: PortalRequestContext) async throws -> Response {
        do {
            let client = try context.requireClient(.submit)
            try self.intake.checkAvailability()
            let kind = try self.decoder.bodyKind(contentType: request.headers[.contentType])
            if let declared = request.headers[.contentLength].flatMap(Int.init), declared > self.limits.maxBodyBytes {
                throw self.tooLarge()
            }
            let idempotencyKey = try self.headerToken(request.headers[.idempotencyKey], name: "Idempotency-Key")
            let formID = try self.headerToken(request.headers[.formID], name: "Form-ID")
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: self.limits.maxBodyBytes)
            } catch is NIOTooManyBytesError {
                throw self.tooLarge()
            }
            let submission = try self.decoder.decode(kind, body: Data(body.readableBytesView))
            let accepted = try await self.intake.accept(submission, client: client, idempotencyKey: idempotencyKey, formID: formID)
            var headers: HTTPFields = [.location: "/v1/submissions/\(accepted.receipt.id)"]
            if accepted.replayed { headers[.idempotentReplayed] = "true" }
            return SubmissionDocuments.receipt(accepted.receipt).response(status: .accepted, headers: headers)
        } catch {
            self.metrics.recordRejected(reason: Problem(converting: error).type)
            throw error
        }
    }

    /// `GET /v1/submissions/{id}`: only for the submitting client; for everyone else the id does not exist.
    func status(_ request: Request, context: PortalRequestContext) throws -> Response {
        let client = try context.requireClient(.status)
        let notFound = Problem(.notFound, detail: "no submission with this id for this client")
        guard let text = context.parameters.get("id"), let id = MessageID(text) else { throw notFound }
        let snapshot: MessageSnapshot?
        do {
            snapshot = try self.spool.message(id)
        } catch let error as SpoolError where error.code == .unknownID {
            throw notFound
        }
        guard let snapshot, snapshot.clientID.utf8.elementsEqual(client.name.utf8) else { throw notFound }
        return SubmissionDocuments.status(snapshot).response(status: .ok)
    }

    private func tooLarge() -> Problem {
        Problem(
            .payloadTooLarge,
            detail: "the body exceeds \(self.limits.maxBodyBytes) bytes",
            extensions: ["maxBytes": .int(self.limits.maxBodyBytes)]
        )
    }

    /// A header that must be visible ASCII (and space) of bounded length, or absent.
    private func headerToken(_ value: String?, name: String) throws -> String? {
        guard let value else { return nil }
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= self.limits.maxIdempotencyKeyBytes, bytes.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw Problem(.invalidRequest, detail: "\(name) must be 1 to \(self.limits.maxIdempotencyKeyBytes) printable ASCII characters")
        }
        return value
    }
}
