import Foundation

/// p50/p90/p99/max of measured values (nearest-rank), for benchmark output.
struct Percentiles {
    let sorted: [Double]

    init(_ values: [Double]) { sorted = values.sorted() }

    func value(_ percentile: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((percentile / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    var text: String {
        String(format: "n=%d p50=%.2f p90=%.2f p99=%.2f max=%.2f", sorted.count, value(50), value(90), value(99), sorted.last ?? .nan)
    }
}

/// Least-squares slope of RSS over time, to tell a flat line from a growing one.
struct RSSTrend {
    let samples: [(seconds: Double, kib: Int)]

    /// KiB per minute, least squares over the samples taken from `start` seconds on.
    func slopePerMinute(from start: Double) -> Double {
        let window = samples.filter { $0.seconds >= start }
        guard window.count >= 3 else { return .nan }
        let n = Double(window.count)
        let meanX = window.map(\.seconds).reduce(0, +) / n
        let meanY = window.map { Double($0.kib) }.reduce(0, +) / n
        var numerator = 0.0
        var denominator = 0.0
        for sample in window {
            numerator += (sample.seconds - meanX) * (Double(sample.kib) - meanY)
            denominator += (sample.seconds - meanX) * (sample.seconds - meanX)
        }
        return denominator > 0 ? numerator / denominator * 60 : .nan
    }

    /// First/min/max/last, and the trend after the first minute and over the second half of the
    /// run (the index only reaches its steady size once retention plus one purge interval have passed).
    var text: String {
        guard let first = samples.first, let last = samples.last else { return "  RSS: no samples" }
        let all = samples.map(\.kib)
        let half = last.seconds / 2
        let secondHalf = samples.filter { $0.seconds >= half }.map(\.kib)
        return String(
            format: "  RSS: first %d KiB, min %d, max %d, last %d KiB; trend %+.1f KiB/min after the first minute; second half (from %.0f s): min %d, max %d KiB, trend %+.1f KiB/min",
            first.kib, all.min() ?? 0, all.max() ?? 0, last.kib, slopePerMinute(from: 60), half, secondHalf.min() ?? 0, secondHalf.max() ?? 0,
            slopePerMinute(from: half)
        )
    }
}
