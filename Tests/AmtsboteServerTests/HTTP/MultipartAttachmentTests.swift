import AmtsboteSpool
import Foundation
import Testing

@testable import AmtsboteServer

@Suite("Multipart submissions", .timeLimit(.minutes(1)))
struct MultipartAttachmentTests {
    @Test("document and attachments arrive byte-identical through the admin socket (what `queue show` uses)")
    func attachmentsRoundTrip() async throws {
        // No delivery targets: the job state stays put while local and remote views are compared.
        try await TestServer.with(configure: { configuration, _ in configuration.targets = [:] }) { server in
            let document = try RepositoryPaths.fixture("schwerbehindertenantrag.xml")
            var binary = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            binary.append(Data("\r\n--\r\n".utf8))
            let body = MultipartBody(parts: [
                .init(name: "submission", contentType: "application/xml", data: document),
                .init(name: "bescheid", filename: "Bescheid Müller.pdf", contentType: "application/pdf", data: binary),
                .init(name: "foto", filename: "foto.jpg", contentType: nil, data: Data([0xFF, 0xD8, 0x0D, 0x0A, 0x00])),
            ])
            let answer = try await server.submit(body.data, contentType: body.contentType)
            #expect(answer.status == 202, "\(answer.text)")
            let text = try #require(answer.json["id"] as? String)
            let id = try #require(MessageID(text))

            let remote = try #require(RemoteQueueControl.ifServing(socketPath: server.adminSocket))
            let payload = try await remote.payload(id)
            #expect(payload.payload == document)
            #expect(payload.attachments.count == 2)
            #expect(payload.attachments[0] == Attachment(name: "bescheid", filename: "Bescheid Müller.pdf", contentType: "application/pdf", data: binary))
            #expect(payload.attachments[1] == Attachment(name: "foto", filename: "foto.jpg", contentType: "application/octet-stream", data: Data([0xFF, 0xD8, 0x0D, 0x0A, 0x00])))
            let fetched = try await remote.message(id)
            let snapshot = try #require(fetched)
            #expect(snapshot.contentType == "application/xml")
            #expect(snapshot.attachments.map(\.size) == [binary.count, 5])
            #expect(snapshot == (try server.runtime.spool.message(id)))
        }
    }

    @Test("a multipart body without a submission part, or with two, is refused")
    func submissionPartRequired() async throws {
        try await TestServer.with { server in
            let only = MultipartBody(parts: [.init(name: "scan", contentType: "application/pdf", data: Data([1, 2, 3]))])
            let missing = try await server.submit(only.data, contentType: only.contentType)
            #expect(missing.status == 400)
            #expect(missing.json["type"] as? String == ProblemType.malformedMultipart.uri)
            let json = try RepositoryPaths.fixture("sperrmuell-termin.json")
            let twice = MultipartBody(parts: [
                .init(name: "submission", contentType: "application/json", data: json),
                .init(name: "submission", contentType: "application/json", data: json),
            ])
            #expect(try await server.submit(twice.data, contentType: twice.contentType).status == 400)
            #expect(server.runtime.spool.stats().messages == 0)
        }
    }
}
