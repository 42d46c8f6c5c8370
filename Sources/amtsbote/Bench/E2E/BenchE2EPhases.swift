import AsyncHTTPClient
import Foundation
import Synchronization

/// The three measurements of `bench e2e`, each against a fresh server and spool.
struct BenchE2EPhases {
    let binary: URL
    let work: URL
    let client: HTTPClient
    /// The light-load phase's sink (it needs µs arrival times).
    let sink: BenchSink
    /// The end-to-end throughput phase's sink (`--sink`).
    let throughputSink: any ThroughputSink
    let targetConcurrency: Int
    let retention: (finished: String, purgeInterval: String)
    private var serial = 0

    init(
        binary: URL,
        work: URL,
        client: HTTPClient,
        sink: BenchSink,
        throughputSink: any ThroughputSink,
        targetConcurrency: Int,
        retention: (finished: String, purgeInterval: String)
    ) {
        self.binary = binary
        self.work = work
        self.client = client
        self.sink = sink
        self.throughputSink = throughputSink
        self.targetConcurrency = targetConcurrency
        self.retention = retention
    }

    /// A submission of about 300 bytes, unique per index.
    static func submission(_ index: Int) -> String {
        #"{"ref": "BENCH-\#(index)", "antragsteller": {"name": "Erika Mustermann", "ort": "Köln", "strasse": "Heidestraße 17", "plz": "51147"}, "anliegen": "Sperrmüllabholung", "termin": "2026-12-01", "hinweis": "Bitte vor dem Haus abholen, Zufahrt über den Hof."}"#
    }

    /// - Parameter sinkURL: where target `bench` delivers; nil = no target (ingest only).
    private mutating func server(deliveringTo sinkURL: URL?) throws -> BenchServer {
        serial += 1
        let port = try FreePort.find()
        return try BenchServer(
            directory: work.appendingPathComponent("run-\(serial)"),
            port: port,
            sinkURL: sinkURL,
            targetConcurrency: targetConcurrency,
            retention: retention.finished,
            purgeInterval: retention.purgeInterval
        )
    }

    /// A fresh delivering server, warmed up with one delivered message (then the sink is reset).
    /// Returns the warm-up message's id: a later request for it is reported, not counted as a
    /// message of the phase.
    ///
    /// It waits for the warm-up message itself. It used to wait for "one message at the sink",
    /// which the previous phase's messages (the sink is shared) satisfied at once: the warm-up
    /// then arrived during or after the reset and was counted as a message of this phase
    /// (20,001 requests, or 19,999 when it straddled the reset of the two separate counters).
    private mutating func startDeliveringServer(to sink: any ThroughputSink) async throws -> (server: BenchServer, warmUpID: String) {
        let server = try server(deliveringTo: sink.url)
        try await server.start(binary: binary, client: client)
        let warmUpID: String
        do {
            try sink.reset()
            warmUpID = try await server.submit(Self.submission(-1), client: client)
            try await Self.waitForArrivals(of: [warmUpID], at: sink, timeout: .seconds(10))
            try sink.reset()
        } catch {
            server.stop()
            throw error
        }
        return (server, warmUpID)
    }

    /// Prints what the sink saw for the phase's messages `ids`: duplicates per id, and requests
    /// for any other id (such as the warm-up message arriving again after the reset).
    private static func reportSinkCounts(ids: [String], warmUpID: String, sink: any ThroughputSink) {
        let counts = sink.counts()
        let expected = Set(ids)
        let requestsForPhase = ids.reduce(0) { $0 + counts.requests(for: $1) }
        let phaseDuplicates = counts.requestsPerID.filter { $0.value > 1 && expected.contains($0.key) }.sorted { $0.key < $1.key }
        let extra = phaseDuplicates.reduce(0) { $0 + $1.value - 1 }
        let others = counts.requests - requestsForPhase
        print("  sink: \(counts.requests) requests; \(requestsForPhase) for the \(expected.count) messages of this phase, "
            + "\(phaseDuplicates.count) of them delivered more than once (\(extra) extra requests); "
            + "\(others) requests for other ids (warm-up message again: \(counts.requests(for: warmUpID)))")
        for duplicate in phaseDuplicates.prefix(10) {
            print("    duplicate: message \(duplicate.key) arrived \(duplicate.value) times")
        }
        if let notes = sink.notes() { print("  " + notes) }
    }

    /// Phase 1: accepted submissions per second with no delivery running.
    mutating func ingestOnly(messages: Int, concurrency: Int) async throws -> Double {
        let server = try server(deliveringTo: nil)
        try await server.start(binary: binary, client: client)
        defer { server.stop() }
        _ = try await server.submit(Self.submission(-1), client: client)  // warm-up connection
        let cpu = PhaseCPU(servePID: server.processID)
        let started = ContinuousClock.now
        try await Self.post(messages, concurrency: concurrency, offset: 0, server: server, client: client)
        let elapsed = ContinuousClock.now - started
        let rate = Double(messages) / elapsed.seconds
        print(String(format: "ingest only:  %d submissions, %d clients, %.2f s, %.1f accepted/s  (load %@)", messages, concurrency, elapsed.seconds, rate, BenchE2ECommand.loadAverage()))
        print("  " + cpu.text(bench: "client"))
        return rate
    }

    /// Phase 2: delivered messages per second, first POST to the last message's (first) arrival at
    /// the sink, as the sink recorded it.
    mutating func endToEnd(messages: Int, concurrency: Int) async throws -> Double {
        let sink = throughputSink
        let (server, warmUpID) = try await startDeliveringServer(to: sink)
        defer { server.stop() }
        let cpu = PhaseCPU(servePID: server.processID)
        let started = BenchStart.now
        let ids = try await Self.post(messages, concurrency: concurrency, offset: 0, server: server, client: client)
        let posted = ContinuousClock.now - started.instant
        try await Self.waitForArrivals(of: ids, at: sink, timeout: .seconds(max(60, messages / 50)))
        let cpuText = cpu.text(bench: sink is BenchSink ? "client + sink" : "client")
        guard let elapsed = sink.secondsToLastArrival(of: ids, since: started) else {
            throw BenchE2EError("the sink lost an arrival it had reported")
        }
        let rate = Double(messages) / elapsed
        print(String(format: "end to end:   %d submissions, %d clients, posted in %.2f s, last delivered after %.3f s, %.1f delivered/s",
                     messages, concurrency, posted.seconds, elapsed, rate))
        print("  " + cpuText)
        // Late duplicates get a moment to show up before counting.
        try await Task.sleep(for: .milliseconds(500))
        try sink.refresh()
        Self.reportSinkCounts(ids: ids, warmUpID: warmUpID, sink: sink)
        return rate
    }

    /// Phase 3: fixed rate for `seconds`; latency POST → sink, RSS every `sampleInterval` s.
    mutating func lightLoad(rate: Int, seconds: Int, sampleInterval: Int) async throws {
        let (server, warmUpID) = try await startDeliveringServer(to: sink)
        defer { server.stop() }
        let total = rate * seconds
        let recorder = BenchRecorder()
        var samples: [(seconds: Double, kib: Int)] = []
        let start = ContinuousClock.now
        if let rss = server.resident() { samples.append((0, rss.total)) }
        print("light load:   \(rate)/s for \(seconds) s (\(total) submissions); RSS of serve (pid \(server.processID ?? 0)) every \(sampleInterval) s")
        fflush(nil)
        let client = self.client
        await withDiscardingTaskGroup { group in
            var nextSample = start + .seconds(sampleInterval)
            for index in 0..<total {
                let due = start + .nanoseconds(Int64(index) * 1_000_000_000 / Int64(rate))
                if ContinuousClock.now < due { try? await Task.sleep(until: due) }
                if ContinuousClock.now >= nextSample {
                    if let rss = server.resident() {
                        let at = (ContinuousClock.now - start).seconds
                        samples.append((at, rss.total))
                        print(String(format: "  t=%5.0f s  RSS %7d KiB (anon %7d, file %6d)  delivered %d  (load %@)",
                                     at, rss.total, rss.anonymous, rss.file, sink.distinctCount, BenchE2ECommand.loadAverage()))
                        fflush(nil)
                    }
                    nextSample = nextSample + .seconds(sampleInterval)
                }
                group.addTask {
                    let posted = ContinuousClock.now
                    do {
                        let id = try await server.submit(Self.submission(index), client: client)
                        recorder.record(.init(id: id, sent: posted, acknowledged: ContinuousClock.now))
                    } catch {
                        recorder.recordFailure()
                    }
                }
            }
        }
        try await Self.waitForArrivals(of: recorder.sent.map(\.id), at: sink, timeout: .seconds(30))
        if let rss = server.resident() { samples.append(((ContinuousClock.now - start).seconds, rss.total)) }
        report(sent: recorder.sent, failures: recorder.failures, samples: samples)
        Self.reportSinkCounts(ids: recorder.sent.map(\.id), warmUpID: warmUpID, sink: sink)
    }

    private func report(
        sent: [BenchRecorder.Sent],
        failures: Int,
        samples: [(seconds: Double, kib: Int)]
    ) {
        var postToSink: [Double] = []
        var ackToSink: [Double] = []
        var ack: [Double] = []
        var missing = 0
        for entry in sent {
            guard let arrival = sink.arrival(of: entry.id) else {
                missing += 1
                continue
            }
            postToSink.append((arrival - entry.sent).milliseconds)
            ackToSink.append((arrival - entry.acknowledged).milliseconds)
            ack.append((entry.acknowledged - entry.sent).milliseconds)
        }
        // Per minute, to tell a one-off stall (another process's disk burst) from a periodic one (purge).
        if let first = sent.first?.sent {
            var minutes: [Int: [Double]] = [:]
            for entry in sent {
                guard let arrival = sink.arrival(of: entry.id) else { continue }
                minutes[Int((entry.sent - first).seconds / 60), default: []].append((arrival - entry.sent).milliseconds)
            }
            for minute in minutes.keys.sorted() {
                print("  minute \(minute + 1): POST → sink (ms) " + Percentiles(minutes[minute]!).text)
            }
        }
        print("  submissions: \(sent.count) accepted, \(failures) failed, \(missing) not delivered; \(sink.requestCount) requests for \(sink.distinctCount) messages at the sink")
        print("  latency POST sent → delivered at sink (ms): " + Percentiles(postToSink).text)
        print("  latency 202 received → delivered at sink (ms, negative = delivered before the 202 arrived): " + Percentiles(ackToSink).text)
        print("  latency POST sent → 202 received (ms): " + Percentiles(ack).text)
        print("  RSS samples (KiB): " + samples.map { "\(Int($0.seconds))s=\($0.kib)" }.joined(separator: " "))
        let trend = RSSTrend(samples: samples)
        print(trend.text)
    }

    /// Waits until every one of `ids` has arrived at `sink`.
    private static func waitForArrivals(of ids: [String], at sink: any ThroughputSink, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var pending = ids[...]
        try sink.refresh()
        while let id = pending.first {
            if sink.hasArrived(id) {
                pending = pending.dropFirst()
                continue
            }
            guard ContinuousClock.now < deadline else {
                throw BenchE2EError("\(pending.count) of \(ids.count) accepted messages did not arrive at the sink within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
            try sink.refresh()
        }
    }

    /// Posts `count` submissions from `concurrency` clients as fast as they are accepted; returns
    /// the accepted message ids.
    @discardableResult
    private static func post(_ count: Int, concurrency: Int, offset: Int, server: BenchServer, client: HTTPClient) async throws -> [String] {
        let recorder = BenchRecorder()
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let index = recorder.takeIndex()
                        guard index < count else { return }
                        let sent = ContinuousClock.now
                        let id = try await server.submit(submission(offset + index), client: client)
                        recorder.record(.init(id: id, sent: sent, acknowledged: ContinuousClock.now))
                    }
                }
            }
        }
        return recorder.sent.map(\.id)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}
