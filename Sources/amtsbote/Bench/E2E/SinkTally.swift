/// Requests a benchmark sink saw since its last reset, per message id, with each message's first
/// arrival. Shared by the in-process `BenchSink` (arrivals on the monotonic clock, µs) and
/// `NginxSink` (arrivals from nginx's access log, wall clock with 1 ms resolution), so both count
/// requests, duplicates and "other ids" by the same rules.
struct SinkTally<Arrival: Comparable & Sendable>: Sendable {
    private(set) var firstArrival: [String: Arrival] = [:]
    private(set) var requestsPerID: [String: Int] = [:]
    /// Every request, duplicates and requests without a key included.
    private(set) var requests = 0

    /// The message id of an `Idempotency-Key: <message-id>/<target>` header (nil without a `/`).
    static func messageID(fromKey key: Substring) -> String? {
        key.firstIndex(of: "/").map { String(key[..<$0]) }
    }

    /// Counts one request for message `id` (nil: a request without a usable key).
    mutating func note(id: String?, at arrival: Arrival) {
        requests += 1
        guard let id else { return }
        requestsPerID[id, default: 0] += 1
        if let seen = firstArrival[id], seen <= arrival { return }
        firstArrival[id] = arrival
    }

    /// The latest first arrival among `ids` (nil if one of them has not arrived).
    func lastArrival(of ids: [String]) -> Arrival? {
        var latest: Arrival?
        for id in ids {
            guard let arrival = firstArrival[id] else { return nil }
            if latest.map({ arrival > $0 }) ?? true { latest = arrival }
        }
        return latest
    }

    /// Forgets everything (between phases).
    mutating func reset() {
        firstArrival.removeAll(keepingCapacity: true)
        requestsPerID.removeAll(keepingCapacity: true)
        requests = 0
    }
}
