import AmtsboteTestSupport
import Foundation
import Synchronization
import Testing

@testable import AmtsboteDelivery

@Suite(.timeLimit(.minutes(2))) struct FileTargetSenderTests {
    private func item(body: Data, parts: [OutgoingDocument.Part] = [], receivedAt: Date = Date(timeIntervalSince1970: 1_764_150_000)) -> DeliveryItem {
        DeliveryItem(
            messageID: "01JDZ0000000000000000000AB",
            target: "hundesteuer",
            formID: "hund/anmeldung",
            receivedAt: receivedAt,
            document: OutgoingDocument(body: body, contentType: "application/xml", fileExtension: "xml", parts: parts)
        )
    }

    @Test func writesTheFileUnderItsPatternNameAndLeavesNoTemporaryFile() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let out = directory.appendingPathComponent("out/hundesteuer")
            let sender = FileTargetSender(
                target: "hundesteuer",
                configuration: FileTargetConfiguration(directory: out.path, fileName: "{date}-{time}-{target}-{form}-{id}.{ext}")
            )
            let result = await sender.send(item(body: Data("<hund/>".utf8)))
            #expect(result == .delivered(status: nil))
            // 1_764_150_000 = 2025-11-26 09:40:00 UTC
            let expected = "20251126-094000-hundesteuer-hund_anmeldung-01JDZ0000000000000000000AB.xml"
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [expected])
            #expect(try Data(contentsOf: out.appendingPathComponent(expected)) == Data("<hund/>".utf8))
        }
    }

    @Test func attachmentsAreWrittenBesideTheDocument() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let sender = FileTargetSender(target: "hundesteuer", configuration: FileTargetConfiguration(directory: directory.path))
            let part = OutgoingDocument.Part(name: "impf", filename: "../Impfpass.pdf", contentType: "application/pdf", data: Data("%PDF".utf8))
            #expect(await sender.send(item(body: Data("<hund/>".utf8), parts: [part])) == .delivered(status: nil))
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(names == ["01JDZ0000000000000000000AB.attachment-1-_._Impfpass.pdf", "01JDZ0000000000000000000AB.xml"])
        }
    }

    @Test func aMissingDirectoryWithoutCreateIsATransientFailure() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let missing = directory.appendingPathComponent("share-not-mounted")
            let sender = FileTargetSender(target: "t", configuration: FileTargetConfiguration(directory: missing.path, createDirectory: false))
            let result = await sender.send(item(body: Data("x".utf8)))
            guard case .transient(nil, let reason, nil) = result else {
                Issue.record("expected transient, got \(result)")
                return
            }
            #expect(reason.contains("No such file or directory"))
        }
    }

    /// An importer polling the directory while large files are written must only ever see complete
    /// files under non-temporary names.
    @Test func anImporterNeverSeesAPartialFile() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let size = 8 << 20
            let body = Data(repeating: 0x41, count: size)
            let sender = FileTargetSender(target: "t", configuration: FileTargetConfiguration(directory: directory.path, fileName: "{id}.{ext}"))
            let stop = Locked(false)
            let observations = Locked<(checks: Int, partial: [String], complete: Int)>((0, [], 0))
            let path = directory.path
            let importer = Thread {
                while !stop.value {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                    for name in names where !name.hasPrefix(".") && !name.hasSuffix(".tmp") {
                        let bytes = (try? FileManager.default.attributesOfItem(atPath: "\(path)/\(name)")[.size] as? Int) ?? -1
                        observations.withLock {
                            $0.checks += 1
                            if bytes == size { $0.complete += 1 } else if bytes >= 0 { $0.partial.append("\(name): \(bytes)") }
                        }
                    }
                }
            }
            importer.start()
            for index in 0..<12 {
                var job = item(body: body)
                job.messageID = "MSG\(index)"
                #expect(await sender.send(job) == .delivered(status: nil))
            }
            stop.value = true
            let seen = observations.value
            #expect(seen.partial.isEmpty, "importer saw partial files: \(seen.partial.prefix(3))")
            #expect(seen.complete > 0)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(names.count == 12 && names.allSatisfy { !$0.hasPrefix(".") })
        }
    }
}
