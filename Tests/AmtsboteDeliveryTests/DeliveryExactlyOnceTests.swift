import AmtsboteDelivery
import AmtsboteSpool
import AmtsboteTestSupport
import Foundation
import Testing

/// Without a crash or a failed attempt, every job reaches the target exactly once, also at high
/// throughput: many jobs, `concurrency` 16, results recorded while the next requests already run.
/// Counts requests per idempotency key at a real HTTP sink (what a department system would see).
@Suite(.timeLimit(.minutes(2))) struct DeliveryExactlyOnceTests {
    static let jobs = 3000
    static let submitters = 16

    @Test func manyJobsAtConcurrency16ReachTheSinkExactlyOnceEach() async throws {
        try await HTTPSink.with { sink, url in
            try await DeliveryHarness.with(targets: ["bench": .testHTTP(url, concurrency: 16)]) { harness in
                let ids = try await Self.submitConcurrently(Self.jobs, harness: harness)
                #expect(Set(ids).count == Self.jobs)
                for id in ids { try await harness.waitFor(id, "bench", .delivered, within: .seconds(15)) }
                // Give a stray extra delivery the chance to show up before counting.
                try await Task.sleep(for: .milliseconds(200))

                var requestsPerKey: [String: Int] = [:]
                for request in sink.received { requestsPerKey[request.idempotencyKey ?? "(none)", default: 0] += 1 }
                let duplicates = requestsPerKey.filter { $0.value > 1 }
                let examples = duplicates.sorted { $0.key < $1.key }.prefix(5).map { "\($0.key) ×\($0.value)" }
                #expect(duplicates.isEmpty, "\(duplicates.count) keys delivered more than once, e.g. \(examples)")
                #expect(Set(requestsPerKey.keys) == Set(ids.map { "\($0)/bench" }))
                #expect(sink.received.count == Self.jobs)
                // Each job was attempted once (no transient failure explains a second request).
                for id in ids.prefix(200) {
                    let job = try #require(try harness.job(id, "bench"))
                    #expect(job.attempts.map(\.outcome) == [.delivered])
                }
            }
        }
    }

    /// Accepts `count` submissions from `submitters` concurrent tasks (as the portal does).
    private static func submitConcurrently(_ count: Int, harness: DeliveryHarness) async throws -> [MessageID] {
        try await withThrowingTaskGroup(of: [MessageID].self) { group in
            for submitter in 0..<submitters {
                group.addTask {
                    var ids: [MessageID] = []
                    for index in stride(from: submitter, to: count, by: submitters) {
                        ids.append(try await harness.submit(#"{"ref": "LOAD-\#(index)"}"#, targets: ["bench"]))
                    }
                    return ids
                }
            }
            var all: [MessageID] = []
            for try await ids in group { all += ids }
            return all
        }
    }
}
