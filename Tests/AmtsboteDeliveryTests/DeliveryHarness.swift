import AmtsboteDelivery
import AmtsboteMapping
import AmtsboteSpool
import Foundation
import Logging
import MetricsTestKit
import ServiceLifecycle
import Testing

/// A real spool and mapping directory in a fresh temp dir, and a running `DeliveryService`.
struct DeliveryHarness {
    let directory: URL
    let spool: Spool
    let mappings: MappingStore
    let metrics: TestMetrics

    /// A JSON → JSON mapping for `target` that requires the fields in `required`.
    static func mapping(target: String, required: [String] = ["ref"]) -> String {
        var text = "target: \(target)\nmatch:\n  format: json\n  where: { path: ref, exists: true }\noutput:\n  format: json\nfields:\n"
        for field in required { text += "  - name: \(field)\n    path: \(field)\n    required: true\n" }
        return text
    }

    /// Runs `body` with a harness whose mapping directory has one mapping per target, and with a
    /// `DeliveryService` for `targets` running; shuts it down gracefully afterwards, then runs
    /// `afterShutdown` (the spool is still open) and closes the spool.
    static func with(
        targets: [String: TargetConfiguration],
        mappingFiles: [String: String]? = nil,
        afterShutdown: (DeliveryHarness) async throws -> Void = { _ in },
        _ body: (DeliveryHarness) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let mappingsDirectory = directory.appendingPathComponent("mappings", isDirectory: true)
            try FileManager.default.createDirectory(at: mappingsDirectory, withIntermediateDirectories: true)
            let files = mappingFiles ?? Dictionary(uniqueKeysWithValues: targets.keys.map { ("\($0).yaml", mapping(target: $0)) })
            for (name, text) in files { try Data(text.utf8).write(to: mappingsDirectory.appendingPathComponent(name)) }
            let spool = try Spool.open(directory: directory.appendingPathComponent("spool", isDirectory: true))
            let harness = DeliveryHarness(
                directory: directory,
                spool: spool,
                mappings: try MappingStore(directory: mappingsDirectory),
                metrics: TestMetrics()
            )
            var logger = Logger(label: "delivery-test")
            logger.logLevel = .critical
            let service = try DeliveryService(
                spool: spool,
                mappings: harness.mappings,
                targets: targets,
                logger: logger,
                metricsFactory: harness.metrics
            )
            let group = ServiceGroup(services: [service], gracefulShutdownSignals: [], logger: logger)
            do {
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    do {
                        try await body(harness)
                    } catch {
                        await group.triggerGracefulShutdown()
                        throw error
                    }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
                try await afterShutdown(harness)
            } catch {
                try? await spool.close()
                throw error
            }
            try await spool.close()
        }
    }

    /// Accepts a JSON submission for `targets`.
    func submit(_ json: String = #"{"ref": "A-1"}"#, targets: [String]) async throws -> MessageID {
        try await spool.accept(NewMessage(clientID: "portal", contentType: "application/json", targets: targets, payload: Data(json.utf8))).id
    }

    /// The job of `id` for `target`.
    func job(_ id: MessageID, _ target: String) throws -> JobSnapshot? {
        try spool.message(id)?.jobs.first { $0.target == target }
    }

    /// Waits (polling the index every 5 ms) until the job is in `state`; returns the snapshot.
    @discardableResult
    func waitFor(_ id: MessageID, _ target: String, _ state: JobState, within limit: Duration = .seconds(10)) async throws -> JobSnapshot {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let job = try job(id, target), job.state == state { return job }
            try await Task.sleep(for: .milliseconds(5))
        }
        let last = try job(id, target)
        Issue.record("job \(id)/\(target) not \(state) within \(limit); is \(last.map { "\($0.state)" } ?? "missing")")
        throw CancellationError()
    }
}

extension DeliveryHarness {
    /// Submits `count` messages for `target` one after another and expects each delivered within
    /// 1.5 s of its acceptance (the "on time" of the isolation tests: well below the 5 s a blocked
    /// worker would wait for the hanging target, and loose enough for a loaded CI machine).
    func expectPromptDelivery(to target: String, count: Int) async throws {
        for index in 0..<count {
            let submitted = Date()
            let id = try await submit(#"{"ref": "\#(target)-\#(index)"}"#, targets: [target])
            let job = try await waitFor(id, target, .delivered, within: .seconds(2))
            let latency = try #require(job.deliveredAt).timeIntervalSince(submitted)
            #expect(latency < 1.5, "\(target) job delivered after \(latency) s")
        }
    }
}

extension TargetConfiguration {
    /// A test target with millisecond retries and a breaker that does not open unless asked.
    static func testHTTP(
        _ url: URL,
        timeout: TimeInterval = 5,
        concurrency: Int = 4,
        retry: RetryPolicy = RetryPolicy(initialDelay: 0.02, multiplier: 1, maximumDelay: 0.02, jitter: .none),
        lifetime: TimeInterval = 3600,
        breaker: CircuitBreakerConfiguration = CircuitBreakerConfiguration(failureThreshold: 1000)
    ) -> TargetConfiguration {
        TargetConfiguration(
            kind: .http(HTTPTargetConfiguration(url: url, timeout: timeout)),
            concurrency: concurrency,
            retry: retry,
            lifetime: lifetime,
            breaker: breaker
        )
    }
}
