import ArgumentParser
import AsyncHTTPClient
import Foundation
import Synchronization

/// `amtsbote bench e2e`: submissions posted over HTTP to a real `amtsbote serve` (a subprocess),
/// delivered to a local HTTP sink that answers 200 at once.
///
/// 1. ingest only: a server without a `targets:` entry (jobs wait); N submissions from C concurrent
///    clients; accepted/s.
/// 2. end to end: a fresh server delivering to the sink; the same N submissions; messages/s from the
///    first POST to the last arrival at the sink, and its ratio to (1). `--sink nginx` answers with
///    an nginx child process instead of the in-process Hummingbird sink: on two cores every
///    request's sink CPU is taken from the server being measured.
/// 3. light load: a fresh server at a fixed rate (default 100/s, open loop) for D seconds; latency
///    from sending the POST to the first arrival at the sink (p50/p90/p99/max), and the server's
///    RSS sampled every 10 s with its linear trend.
struct BenchE2ECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "End-to-end throughput, latency and RSS against a real `amtsbote serve` (build with -c release).",
        discussion: "Run from the package directory after `swift build -c release`; it starts .build/release/amtsbote serve itself."
    )

    @Option(help: "Submissions in each throughput phase.")
    var messages = 20_000

    @Option(help: "Rounds of (ingest only, end to end), alternating, so a change in machine load hits both alike.")
    var rounds = 3

    @Option(help: "Concurrent clients in the throughput phases.")
    var concurrency = 32

    @Option(help: "`concurrency` of the benchmark's HTTP target (its delivery workers).")
    var targetConcurrency = 16

    @Option(help: "The servers' retention.finishedMessages (delivered messages leave spool and index after this).")
    var retention = "1m"

    @Option(help: "The servers' retention.purgeInterval.")
    var purgeInterval = "30s"

    @Option(help: "Submissions per second in the light-load phase.")
    var rate = 100

    @Option(help: "Seconds of light load.")
    var duration = 600

    @Option(help: "Seconds between RSS samples.")
    var sampleInterval = 10

    @Option(help: ArgumentHelp("The amtsbote binary to serve with (default: this one).", valueName: "path"))
    var binary: String?

    /// Which sink answers in the end-to-end throughput phase. nginx by default: a department
    /// system does not run on Amtsbote's cores in production, and on two cores the in-process
    /// Hummingbird sink (about 50 µs of CPU per request against nginx's 18–22 µs) takes its CPU
    /// from the server being measured.
    enum SinkKind: String, ExpressibleByArgument, CaseIterable {
        case swift, nginx
    }

    @Option(help: ArgumentHelp(
        "Sink of the end-to-end throughput phase: swift (Hummingbird in this process) or nginx (a child process, the default; needs nginx, e.g. apt-get install nginx-light). The light-load phase always uses the swift sink.",
        valueName: "swift|nginx"))
    var sink: SinkKind = .nginx

    @Flag(help: "Skip phases 1 and 2 (throughput).")
    var skipThroughput = false

    @Flag(help: "Skip phase 3 (light load).")
    var skipLightLoad = false

    func validate() throws {
        guard messages > 0, rounds > 0, concurrency > 0, targetConcurrency > 0, rate > 0, duration > 0, sampleInterval > 0 else {
            throw ValidationError("all counts and durations must be positive")
        }
    }

    func run() async throws {
        let binaryURL = URL(fileURLWithPath: binary ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-bench-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        print("bench e2e  binary=\(binaryURL.path)  sink=\(sink.rawValue)  target concurrency=\(targetConcurrency)  retention=\(retention)/\(purgeInterval)  cores=\(ProcessInfo.processInfo.activeProcessorCount)  load=\(Self.loadAverage())")
        let lightLoadSink = BenchSink()
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(concurrency, 8)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(connectionPool: pool))
        do {
            try await lightLoadSink.run { _ in
                if sink == .nginx, !skipThroughput {
                    try await NginxSink.run(client: client) { nginx in
                        print("throughput sink: \(nginx.arrivalClock), pid \(nginx.nginx.processID), prefix \(nginx.nginx.directory.path), \(nginx.url)")
                        var phases = makePhases(binary: binaryURL, work: work, client: client, sink: lightLoadSink, throughputSink: nginx)
                        try await measure(&phases)
                    }
                } else {
                    if !skipThroughput { print("throughput sink: \(lightLoadSink.arrivalClock), \(lightLoadSink.url)") }
                    var phases = makePhases(binary: binaryURL, work: work, client: client, sink: lightLoadSink, throughputSink: lightLoadSink)
                    try await measure(&phases)
                }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func makePhases(binary: URL, work: URL, client: HTTPClient, sink: BenchSink, throughputSink: any ThroughputSink) -> BenchE2EPhases {
        BenchE2EPhases(
            binary: binary,
            work: work,
            client: client,
            sink: sink,
            throughputSink: throughputSink,
            targetConcurrency: targetConcurrency,
            retention: (retention, purgeInterval)
        )
    }

    /// The rounds of phases 1 and 2, then phase 3 (each unless skipped).
    private func measure(_ phase: inout BenchE2EPhases) async throws {
        if !skipThroughput {
            var ratios: [Double] = []
            for round in 1...rounds {
                print("round \(round) of \(rounds)")
                let ingest = try await phase.ingestOnly(messages: messages, concurrency: concurrency)
                let endToEnd = try await phase.endToEnd(messages: messages, concurrency: concurrency)
                ratios.append(endToEnd / ingest)
                print(String(format: "throughput ratio: end-to-end / ingest-only = %.1f / %.1f = %.0f %%", endToEnd, ingest, 100 * endToEnd / ingest))
                fflush(nil)
            }
            let sorted = ratios.sorted()
            // An even count has two middle values: their mean, not the upper one.
            let median = (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
            print(String(format: "throughput ratio over %d rounds: median %.1f %%, min %.0f %%, max %.0f %%",
                         rounds, 100 * median, 100 * sorted.first!, 100 * sorted.last!))
        }
        if !skipLightLoad {
            try await phase.lightLoad(rate: rate, seconds: duration, sampleInterval: sampleInterval)
        }
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
