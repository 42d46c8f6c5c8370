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

    /// KiB per minute (least squares over the samples after the first minute, so start-up
    /// allocation does not count as growth).
    var slopePerMinute: Double {
        let steady = samples.filter { $0.seconds >= 60 }
        guard steady.count >= 3 else { return .nan }
        let n = Double(steady.count)
        let meanX = steady.map(\.seconds).reduce(0, +) / n
        let meanY = steady.map { Double($0.kib) }.reduce(0, +) / n
        var numerator = 0.0
        var denominator = 0.0
        for sample in steady {
            numerator += (sample.seconds - meanX) * (Double(sample.kib) - meanY)
            denominator += (sample.seconds - meanX) * (sample.seconds - meanX)
        }
        return denominator > 0 ? numerator / denominator * 60 : .nan
    }

    var text: String {
        guard let first = samples.first, let last = samples.last else { return "  RSS: no samples" }
        let steady = samples.filter { $0.seconds >= 60 }.map(\.kib)
        let range = steady.isEmpty ? "" : " steady-state min \(steady.min()!) max \(steady.max()!) KiB,"
        return String(format: "  RSS: first %d KiB, last %d KiB,%@ trend %+.1f KiB/min after the first minute", first.kib, last.kib, range, slopePerMinute)
    }
}
