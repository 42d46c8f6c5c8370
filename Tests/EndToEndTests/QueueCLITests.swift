import AmtsboteSpool
import Foundation
import Testing

/// Every operator command through the real binary, including the error cases.
@Suite(.timeLimit(.minutes(3))) struct QueueCLITests {
    private func withSpoolDirectory(_ body: (URL, [String]) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory, ["--spool", directory.appendingPathComponent("spool").path])
    }

    private func submit(_ spool: [String], _ payload: Data, targets: [String], extra: [String] = []) async throws -> String {
        let result = try await AmtsboteProcess.run(["submit", "-"] + targets.flatMap { ["--target", $0] } + spool + extra, input: payload)
        #expect(result.status == 0, "\(result.stderr)")
        let id = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(MessageID(id) != nil)
        return id
    }

    private func json(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func submitShowAndPayloadRoundTrip() async throws {
        try await withSpoolDirectory { directory, spool in
            // Bytes that are not UTF-8 and an umlaut, to prove "unchanged".
            let payload = Data([0x3C, 0x61, 0x3E, 0xFF, 0x00, 0xC3, 0xBC, 0x0A, 0x3C, 0x2F, 0x61, 0x3E])
            let id = try await submit(spool, payload, targets: ["gewerbeamt", "hundesteuer"], extra: ["--content-type", "application/xml", "--idempotency-key", "k1"])

            let raw = try await AmtsboteProcess.run(["queue", "show", id, "--payload"] + spool)
            #expect(raw.status == 0)
            #expect(raw.stdout == payload)

            let shown = try await AmtsboteProcess.run(["queue", "show", id] + spool)
            #expect(shown.status == 0)
            #expect(shown.text.contains("id:               \(id)"))
            #expect(shown.text.contains("job gewerbeamt: queued"))
            #expect(shown.text.contains("idempotency key:  k1"))

            let asJSON = try await AmtsboteProcess.run(["queue", "show", id, "--json"] + spool)
            #expect(asJSON.lines.count == 1)
            let object = try json(asJSON.lines[0])
            #expect(object["id"] as? String == id)
            #expect(object["payloadBytes"] as? Int == payload.count)
            #expect(object["targets"] as? [String] == ["gewerbeamt", "hundesteuer"])
            #expect(object["contentType"] as? String == "application/xml")
            let jobs = try #require(object["jobs"] as? [[String: Any]])
            #expect(jobs.map { $0["state"] as? String } == ["queued", "queued"])

            // From a file, with the content type from its name.
            let file = directory.appendingPathComponent("antrag.json")
            try Data(#"{"a":1}"#.utf8).write(to: file)
            let fromFile = try await AmtsboteProcess.run(["submit", file.path, "--target", "a"] + spool)
            #expect(fromFile.status == 0)
            let fileID = fromFile.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let fileJSON = try json(try await AmtsboteProcess.run(["queue", "show", fileID, "--json"] + spool).lines[0])
            #expect(fileJSON["contentType"] as? String == "application/json")
        }
    }

    @Test func summaryAndListWithFilters() async throws {
        try await withSpoolDirectory { _, spool in
            let first = try await submit(spool, Data("1".utf8), targets: ["a", "b"])
            let second = try await submit(spool, Data("2".utf8), targets: ["a"])

            let summary = try await AmtsboteProcess.run(["queue"] + spool)
            #expect(summary.status == 0)
            #expect(summary.lines.first?.hasPrefix("TARGET") == true)
            #expect(summary.lines.contains { $0.hasPrefix("a ") && $0.contains("queued  2") })
            #expect(summary.lines.contains { $0.hasPrefix("b ") && $0.contains("queued  1") })
            let summaryJSON = try await AmtsboteProcess.run(["queue", "summary", "--json"] + spool)
            let rows = try summaryJSON.lines.map(json)
            #expect(rows.map { "\($0["target"]!) \($0["state"]!) \($0["count"]!)" } == ["a queued 2", "b queued 1"])
            #expect(rows.allSatisfy { $0["oldestAgeSeconds"] is Int })

            let list = try await AmtsboteProcess.run(["queue", "list", "--json", "--target", "a"] + spool)
            let jobs = try list.lines.map(json)
            #expect(jobs.map { $0["id"] as? String } == [first, second])
            for job in jobs {
                for key in ["id", "target", "state", "attempts", "receivedAt", "nextAttemptAt", "lastError"] {
                    #expect(job.keys.contains(key), "missing \(key)")
                }
                let received = try #require(job["receivedAt"] as? String)
                #expect(received.hasSuffix("Z") && received.count == 24)
                #expect(job["attempts"] as? Int == 0)
                #expect(job["lastError"] is NSNull)
            }
            let text = try await AmtsboteProcess.run(["queue", "list", "--state", "queued"] + spool)
            #expect(text.lines.count == 4)
            #expect(text.lines[0].hasPrefix("ID"))
            let none = try await AmtsboteProcess.run(["queue", "list", "--state", "held", "--json"] + spool)
            #expect(none.status == 0 && none.lines.isEmpty)
        }
    }

    @Test func holdReleaseRetryDeleteReportCounts() async throws {
        try await withSpoolDirectory { _, spool in
            let first = try await submit(spool, Data("1".utf8), targets: ["a", "b"])
            _ = try await submit(spool, Data("2".utf8), targets: ["a"])

            #expect(try await AmtsboteProcess.run(["queue", "hold", "--target", "a"] + spool).text == "2 jobs held\n")
            #expect(try await AmtsboteProcess.run(["queue", "hold", "--all"] + spool).text == "1 job held\n")
            #expect(try await AmtsboteProcess.run(["queue", "release", first, "--target", "a"] + spool).text == "1 job released\n")
            #expect(try await AmtsboteProcess.run(["queue", "retry", "--state", "held"] + spool).text == "2 jobs queued for retry\n")
            let states = try await AmtsboteProcess.run(["queue", "list", "--json"] + spool).lines.map(json).map { $0["state"] as? String }
            #expect(states == ["queued", "queued", "queued"])

            let refused = try await AmtsboteProcess.run(["queue", "delete", first] + spool)
            #expect(refused.status == 64)
            #expect(refused.stderr == "error: delete removes jobs for good; add --yes to confirm\n")
            #expect(try await AmtsboteProcess.run(["queue", "delete", first, "--yes"] + spool).text == "2 jobs deleted\n")
            #expect(try await AmtsboteProcess.run(["queue", "list", "--json"] + spool).lines.count == 1)
        }
    }

    @Test func errorsAreOneLineWithDocumentedExitCodes() async throws {
        try await withSpoolDirectory { directory, spool in
            let missingSpool = try await AmtsboteProcess.run(["queue", "--spool", directory.appendingPathComponent("nope").path])
            #expect(missingSpool.status == 66)
            #expect(missingSpool.stderr == "error: spool \(directory.appendingPathComponent("nope").path) does not exist\n")

            _ = try await submit(spool, Data("x".utf8), targets: ["a"])
            let unknown = try await AmtsboteProcess.run(["queue", "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV"] + spool)
            #expect(unknown.status == 66)
            #expect(unknown.stderr == "error: no message 01ARZ3NDEKTSV4RRFFQ69G5FAV in the spool\n")
            #expect(try await AmtsboteProcess.run(["queue", "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "--payload"] + spool).status == 66)
            #expect(try await AmtsboteProcess.run(["queue", "hold", "01ARZ3NDEKTSV4RRFFQ69G5FAV"] + spool).status == 66)

            let cases: [([String], String)] = [
                (["queue", "show", "not-an-id"], "error: 'not-an-id' is not a message id (26 characters, Crockford base32)\n"),
                (["queue", "list", "--state", "lost"], "error: --state: 'lost' is not one of queued, delivering, deferred, held, delivered, dead\n"),
                (["queue", "hold"], "error: say which jobs: message ids, --target, --state or --all\n"),
                (["queue", "retry", "--all", "--target", "a"], "error: --all cannot be combined with ids, --target or --state\n"),
                (["purge", "--older-than", "soon"], "error: --older-than: 'soon' is not a duration like 30d, 12h, 90m or 0\n"),
                (["submit", "-"], "error: at least one --target is required\n"),
                (["queue", "frobnicate"], "error: Unexpected argument 'frobnicate'\n"),
            ]
            for (arguments, message) in cases {
                let result = try await AmtsboteProcess.run(arguments + spool)
                #expect(result.status == 64, "\(arguments)")
                #expect(result.stderr == message, "\(arguments)")
            }

            let missingFile = try await AmtsboteProcess.run(["submit", directory.appendingPathComponent("missing.xml").path, "--target", "a"] + spool)
            #expect(missingFile.status == 66)
            #expect(missingFile.stderr == "error: \(directory.appendingPathComponent("missing.xml").path): no such file\n")

            let tooLarge = try await AmtsboteProcess.run(["submit", "-", "--target", "a"] + spool, input: Data(count: 25 * 1024 * 1024 + 1))
            #expect(tooLarge.status == 65)
            #expect(tooLarge.stderr == "error: message of 26214401 bytes exceeds the limit of 26214400 bytes\n")

            let keyed = try await submit(spool, Data("k".utf8), targets: ["a"], extra: ["--idempotency-key", "antrag-7"])
            let again = try await AmtsboteProcess.run(["submit", "-", "--target", "a", "--idempotency-key", "antrag-7"] + spool, input: Data("k".utf8))
            #expect(again.status == 65)
            #expect(again.stderr == "error: idempotency key antrag-7 already used by message \(keyed)\n")

            let badTarget = try await AmtsboteProcess.run(["submit", "-", "--target", "two words"] + spool, input: Data("x".utf8))
            #expect(badTarget.status == 64)
            #expect(badTarget.stderr.split(separator: "\n").count == 1)
        }
    }

    /// While another process holds the spool (here the crash test's accepting child, as a
    /// server would), every command says who; `queue watch` needs no lock and still works.
    @Test func lockedSpoolNamesTheHolder() async throws {
        try await withSpoolDirectory { _, spool in
            _ = try await submit(spool, Data("x".utf8), targets: ["a"])
            let (holder, stdout) = try AmtsboteProcess.start(["bench", "spool-crash-child", "--concurrency", "1"] + spool)
            let reader = PipeReader(stdout)
            do {
                // It prints its first id once it holds the lock and has accepted.
                await reader.waitForFirstData(timeout: 30)
                let path = spool[1]
                for arguments in [["queue"], ["queue", "list"], ["queue", "hold", "--all"], ["purge", "--older-than", "30d"], ["submit", "-", "--target", "a"]] {
                    let result = try await AmtsboteProcess.run(arguments + spool, input: Data("y".utf8))
                    #expect(result.status == 75, "\(arguments)")
                    #expect(result.stderr == "error: spool \(path) is locked by a running process (pid \(holder.processIdentifier))\n", "\(arguments)")
                }
                let (watcher, watchOutput) = try AmtsboteProcess.start(["queue", "watch", "--json"] + spool)
                let lines = PipeReader(watchOutput)
                try await Task.sleep(for: .milliseconds(1500))
                kill(watcher.processIdentifier, SIGINT)
                await watcher.exited()
                let changes = String(decoding: await lines.wait(), as: UTF8.self).split(separator: "\n")
                #expect(!changes.isEmpty, "watch sees the running process's accepts")
                #expect(changes.allSatisfy { $0.contains(#""from":null"#) && $0.contains(#""to":"queued""#) })
            } catch {
                kill(holder.processIdentifier, SIGKILL)
                await holder.exited()
                throw error
            }
            kill(holder.processIdentifier, SIGKILL)
            await holder.exited()
            _ = await reader.wait()
        }
    }

    /// `queue watch` prints one line per change made by other processes, as it happens.
    @Test func watchPrintsChangesAsTheyHappen() async throws {
        try await withSpoolDirectory { _, spool in
            let first = try await submit(spool, Data("x".utf8), targets: ["a", "b"])
            let (watcher, stdout) = try AmtsboteProcess.start(["queue", "watch"] + spool)
            let reader = PipeReader(stdout)
            await reader.waitForFirstData(timeout: 30)
            try await Task.sleep(for: .milliseconds(300))
            let second = try await submit(spool, Data("y".utf8), targets: ["a"])
            #expect(try await AmtsboteProcess.run(["queue", "hold", "--target", "a"] + spool).text == "2 jobs held\n")
            #expect(try await AmtsboteProcess.run(["queue", "delete", first, "--target", "b", "--yes"] + spool).text == "1 job deleted\n")
            try await Task.sleep(for: .milliseconds(600))
            kill(watcher.processIdentifier, SIGINT)
            await watcher.exited()
            let lines = String(decoding: await reader.wait(), as: UTF8.self).split(separator: "\n").map { line in
                // Drop the first word (the time stamp; "watching" on the header line).
                line.split(separator: " ").dropFirst().joined(separator: " ")
            }
            #expect(lines == [
                "\(spool[1]) (interrupt to stop)",
                "\(second) a new -> queued",
                "\(first) a queued -> held",
                "\(second) a queued -> held",
                "\(first) b queued -> deleted",
            ])
        }
    }

    @Test func purgeRemovesDeliveredMessages() async throws {
        try await withSpoolDirectory { directory, spool in
            let secret = "Personalausweis-\(UUID().uuidString)"
            let id = try await submit(spool, Data(secret.utf8), targets: ["a"])
            let kept = try await submit(spool, Data("kept".utf8), targets: ["a"])
            // Deliver the first message through the library, as the delivery engine would.
            let store = try Spool.open(directory: URL(fileURLWithPath: spool[1]))
            let job = try #require(store.claimNextDue(target: "a"))
            #expect(job.messageID.description == id)
            try await store.finish(job, attempt: Attempt(at: Date(), outcome: .delivered, status: 200), result: .delivered)
            try await store.close()

            let recent = try await AmtsboteProcess.run(["purge", "--older-than", "30d"] + spool)
            #expect(recent.text == "purged 0 messages (0 jobs), 0 bytes, 0 segments rewritten, 0 corrupt copies\n")
            let dry = try await AmtsboteProcess.run(["purge", "--older-than", "0", "--dry-run"] + spool)
            #expect(dry.status == 0)
            #expect(dry.text.hasPrefix("would purge 1 messages (1 jobs)"))
            let real = try await AmtsboteProcess.run(["purge", "--older-than", "0"] + spool)
            #expect(real.status == 0)
            #expect(real.text.hasPrefix("purged 1 messages (1 jobs)"))
            #expect(try await AmtsboteProcess.run(["queue", "show", id] + spool).status == 66)
            #expect(try await AmtsboteProcess.run(["queue", "show", kept, "--payload"] + spool).stdout == Data("kept".utf8))
            let audit = try String(contentsOf: URL(fileURLWithPath: spool[1]).appendingPathComponent("audit.log"), encoding: .utf8)
            #expect(audit.contains("id=\(id) target=a outcome=purged"))
            let enumerator = FileManager.default.enumerator(atPath: directory.path)
            while let name = enumerator?.nextObject() as? String {
                let data = (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data()
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(name)")
            }
        }
    }

    /// A write that fails (here: the file-size limit, as a full disk would) acknowledges
    /// nothing, exits 74, and leaves the spool readable.
    @Test func failedWriteExitsWithIOErrorAndKeepsSpoolReadable() async throws {
        try await withSpoolDirectory { directory, spool in
            let first = try await submit(spool, Data("first".utf8), targets: ["a"])
            let big = directory.appendingPathComponent("big.bin")
            try Data(repeating: 0x41, count: 300_000).write(to: big)
            // 200 KiB limit: the segment cannot grow by 300 KB. SIGXFSZ ignored so write() fails.
            let result = try await AmtsboteProcess.runShell("trap '' XFSZ; ulimit -f 200; exec \"$AMTSBOTE\" submit '\(big.path)' --target a --spool '\(spool[1])'")
            #expect(result.status == 74, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("error: write "))
            #expect(result.stderr.split(separator: "\n").count == 1)
            let list = try await AmtsboteProcess.run(["queue", "list", "--json"] + spool)
            #expect(list.status == 0)
            #expect(try list.lines.map(json).map { $0["id"] as? String } == [first])
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool[1] + "/corrupt").isEmpty)
            _ = try await submit(spool, Data("after".utf8), targets: ["a"])
        }
    }
}
