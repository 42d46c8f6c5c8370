import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `amtsbote serve` as a real process: crash safety under load, graceful shutdown, the CLI
/// talking to the running server, and no personal data in its log.
@Suite("amtsbote serve (real binary)", .serialized, .timeLimit(.minutes(3)))
struct ServeTests {
    private static let fixtures = ServeTestProcess.repository.appendingPathComponent("Tests/AmtsboteServerTests/Fixtures")

    private func withServer(extraConfig: (URL) -> String = { _ in "" }, _ body: (ServeTestProcess) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-serve-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServeTestProcess(directory: directory, extraConfig: extraConfig(directory))
        do {
            try await body(server)
        } catch {
            await server.stop(signal: SIGKILL)
            throw error
        }
        await server.stop(signal: SIGKILL)
        try self.expectNoPersonalData(in: server.logURL)
    }

    /// Posts from `workers` concurrent clients until `stop` returns true or the server is gone; returns acknowledged ids.
    private func load(
        _ server: ServeTestProcess,
        workers: Int,
        body: Data,
        until deadline: ContinuousClock.Instant,
        firstAcknowledgement: AsyncStream<Void>.Continuation? = nil
    ) async -> (ids: [String], failures: Int) {
        await withTaskGroup(of: ([String], Int).self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var ids: [String] = []
                    var failures = 0
                    while ContinuousClock.now < deadline {
                        guard let answer = await server.submit(body, contentType: "application/json", timeout: .seconds(3)) else {
                            failures += 1
                            // Once this worker had a 202, a failed request means the server is gone.
                            if failures > 3 || !ids.isEmpty { break }
                            continue
                        }
                        if answer.status == 202,
                            let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
                            let id = object["id"] as? String
                        {
                            ids.append(id)
                            firstAcknowledgement?.yield()
                        }
                    }
                    return (ids, failures)
                }
            }
            var all: ([String], Int) = ([], 0)
            for await (ids, failures) in group {
                all.0 += ids
                all.1 += failures
            }
            firstAcknowledgement?.finish()
            return all
        }
    }

    @Test("SIGKILL under load: every id that got a 202 is in the spool after restarts")
    func killUnderLoad() async throws {
        try await self.withServer { server in
            let body = try Data(contentsOf: Self.fixtures.appendingPathComponent("gewerbeanmeldung.json"))
            var acknowledged: [String] = []
            for round in 0..<3 {
                try await server.start()
                // Kill a little after the first 202 of this round, so that a slow start (a busy CI
                // machine) never leaves a round without acknowledged ids to check.
                let killAfter = Duration.milliseconds(400 + 250 * round)
                let (acknowledgements, firstAcknowledgement) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                async let loadResult = self.load(
                    server,
                    workers: 2,
                    body: body,
                    until: ContinuousClock.now + killAfter + .seconds(20),
                    firstAcknowledgement: firstAcknowledgement
                )
                for await _ in acknowledgements { break }
                try await Task.sleep(for: killAfter)
                let killed = await server.stop(signal: SIGKILL)
                #expect(killed?.reason == .uncaughtSignal)
                let (ids, _) = await loadResult
                #expect(!ids.isEmpty, "round \(round): no submission was acknowledged before the kill")
                acknowledged += ids
            }
            let stored = try await server.spooledIDs()
            let missing = Set(acknowledged).subtracting(stored)
            #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged ids are missing")
            print("serve e2e: \(acknowledged.count) submissions acknowledged across 3 SIGKILLs, \(missing.count) missing after restart")
            #expect(acknowledged.count > 50)
            // The restarted server serves again on the recovered spool.
            try await server.start()
            #expect(await server.submit(body, contentType: "application/json")?.status == 202)
        }
    }

    @Test("SIGTERM: stops accepting, finishes in-flight requests, flushes, exits 0 well within 10 s")
    func gracefulShutdown() async throws {
        try await self.withServer { server in
            try await server.start()
            let body = try Data(contentsOf: Self.fixtures.appendingPathComponent("sperrmuell-termin.json"))
            async let loadResult = self.load(server, workers: 2, body: body, until: ContinuousClock.now + .seconds(2))
            try await Task.sleep(for: .milliseconds(500))
            let stopped = await server.stop(signal: SIGTERM, timeout: .seconds(10))
            let (ids, _) = await loadResult
            let exit = try #require(stopped, "serve did not exit within 10 s of SIGTERM")
            #expect(exit.reason == .exit)
            #expect(exit.status == 0)
            #expect(exit.took < .seconds(10))
            print("serve e2e: SIGTERM to exit 0 took \(exit.took), \(ids.count) submissions acknowledged during the drain test")
            #expect(!ids.isEmpty)
            let log = try String(contentsOf: server.logURL, encoding: .utf8)
            #expect(log.contains("Spool closed"))
            #expect(!FileManager.default.fileExists(atPath: server.spoolPath + "/admin.sock"))
            let stored = try await server.spooledIDs()
            #expect(Set(ids).isSubset(of: stored))
        }
    }

    @Test("multipart with attachments: `queue show --payload` and `--attachment` print document and attachment byte-identically")
    func queueShowThroughServer() async throws {
        try await self.withServer { server in
            try await server.start()
            let document = try Data(contentsOf: Self.fixtures.appendingPathComponent("hundesteuer-anmeldung.xml"))
            let attachment = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            let boundary = "e2e-\(UUID().uuidString)"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"submission\"\r\nContent-Type: application/xml\r\n\r\n".utf8)
            body.append(document)
            body.append(Data("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"impfpass\"; filename=\"impfpass.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8))
            body.append(attachment)
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let answer = try #require(await server.submit(body, contentType: "multipart/form-data; boundary=\(boundary)"))
            #expect(answer.status == 202)
            let object = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
            let id = try #require(object["id"] as? String)

            // The server holds the spool's lock, so these go through spool/admin.sock.
            let payload = try await AmtsboteProcess.run(["queue", "show", id, "--payload", "--spool", server.spoolPath])
            #expect(payload.status == 0, "\(payload.stderr)")
            #expect(payload.stdout == document)
            let attached = try await AmtsboteProcess.run(["queue", "show", id, "--attachment", "impfpass", "--spool", server.spoolPath])
            #expect(attached.status == 0, "\(attached.stderr)")
            #expect(attached.stdout == attachment)
            let unknown = try await AmtsboteProcess.run(["queue", "show", id, "--attachment", "nope", "--spool", server.spoolPath])
            #expect(unknown.status == 66)
            let shown = try await AmtsboteProcess.run(["queue", "show", id, "--json", "--spool", server.spoolPath])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.text.contains("impfpass.pdf"))
            #expect(shown.text.contains("\(attachment.count)"))
            let held = try await AmtsboteProcess.run(["queue", "hold", "--all", "--spool", server.spoolPath])
            #expect(held.status == 0, "\(held.stderr)")

            // Stopped: the CLI reads the same bytes from the spool directly.
            #expect(await server.stop(signal: SIGTERM)?.status == 0)
            let direct = try await AmtsboteProcess.run(["queue", "show", id, "--payload", "--spool", server.spoolPath])
            #expect(direct.stdout == document)
            let directAttachment = try await AmtsboteProcess.run(["queue", "show", id, "--attachment", "impfpass", "--spool", server.spoolPath])
            #expect(directAttachment.stdout == attachment)
        }
    }

    /// `admin.socket` outside the spool directory: the server names it in `spool/admin.address`,
    /// so the CLI, which only knows `--spool`, still reaches the running server.
    @Test("queue commands reach a server whose admin socket is configured outside the spool")
    func adminSocketOutsideTheSpool() async throws {
        try await withServer(extraConfig: { directory in
            try? FileManager.default.createDirectory(at: directory.appendingPathComponent("ops"), withIntermediateDirectories: true)
            return "admin: {socket: \(directory.appendingPathComponent("ops/admin.sock").path)}"
        }) { server in
            try await server.start()
            let socket = server.directory.appendingPathComponent("ops/admin.sock").path
            #expect(FileManager.default.fileExists(atPath: socket))
            #expect(!FileManager.default.fileExists(atPath: server.spoolPath + "/admin.sock"))
            let address = try String(contentsOfFile: server.spoolPath + "/admin.address", encoding: .utf8)
            #expect(address.trimmingCharacters(in: .whitespacesAndNewlines) == socket)

            let summary = try await AmtsboteProcess.run(["queue", "--spool", server.spoolPath])
            #expect(summary.status == 0, "\(summary.stderr)")
            let held = try await AmtsboteProcess.run(["queue", "hold", "--all", "--spool", server.spoolPath])
            #expect(held.status == 0, "\(held.stderr)")

            #expect(await server.stop(signal: SIGTERM)?.status == 0)
            #expect(!FileManager.default.fileExists(atPath: server.spoolPath + "/admin.address"))
            #expect(!FileManager.default.fileExists(atPath: socket))
        }
    }

    private func expectNoPersonalData(in log: URL) throws {
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("Request served"))
        var values: Set<String> = []
        for name in ["gewerbeanmeldung.json", "hundesteuer-anmeldung.xml", "sperrmuell-termin.json"] {
            let sample = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent(name)), as: UTF8.self)
            let regex = try NSRegularExpression(pattern: name.hasSuffix(".json") ? "\"([^\"]{5,})\"(?!\\s*:)" : ">([^<]{5,})<")
            for match in regex.matches(in: sample, range: NSRange(sample.startIndex..., in: sample)) {
                if let range = Range(match.range(at: 1), in: sample) { values.insert(String(sample[range])) }
            }
        }
        let personal = values.filter { $0.contains(where: \.isLetter) && !$0.contains("\n") && !$0.hasPrefix("http") && !$0.hasPrefix("urn:") }
        #expect(personal.count > 30)
        for value in personal where text.contains(value) {
            Issue.record("serve.log contains the sample value '\(value.prefix(3))…'")
        }
    }
}
