import Foundation

/// The department system of `bench e2e`'s end-to-end throughput phase: `BenchSink` (Hummingbird in
/// the bench process) or `NginxSink` (an nginx child process that answers for a fraction of the
/// CPU; on two cores the sink's CPU is otherwise taken from the server being measured).
protocol ThroughputSink: AnyObject, Sendable {
    /// Where the benchmark target delivers.
    var url: URL { get }
    /// How arrival times are taken (printed with the results).
    var arrivalClock: String { get }
    /// Forgets every request seen so far.
    func reset() throws
    /// Takes in requests that arrived since the last call (nginx: new access-log lines).
    func refresh() throws
    /// Whether message `id` had arrived at the last `refresh()`.
    func hasArrived(_ id: String) -> Bool
    /// Seconds from `start` to the latest first arrival of `ids` (nil if one has not arrived).
    func secondsToLastArrival(of ids: [String], since start: BenchStart) -> Double?
    /// Requests per message id since the last reset.
    func counts() -> SinkCounts
    /// What else the sink can tell about the phase (nginx: connections, statuses), or nil.
    func notes() -> String?
}

/// When a phase started, on both clocks: the monotonic one for `BenchSink`, the wall clock for
/// nginx's `$msec` (the only time nginx can log).
struct BenchStart: Sendable {
    let instant: ContinuousClock.Instant
    let date: Date

    static var now: BenchStart { BenchStart(instant: .now, date: Date()) }
}

/// A snapshot of a sink's requests per message id.
struct SinkCounts: Sendable {
    /// Every request, duplicates and requests without a key included.
    var requests: Int
    var requestsPerID: [String: Int]

    func requests(for id: String) -> Int { requestsPerID[id] ?? 0 }
}

extension SinkTally {
    var counts: SinkCounts { SinkCounts(requests: requests, requestsPerID: requestsPerID) }
}
