import AmtsboteMapping
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `amtsbote bench mapping`: documents/s for parse + map + serialise, on the documents that
/// `../shared/bench/peers/transform.sh` generates, with mappings equivalent to its XSLT and jq programs.
///
/// Like the peers, each run reads every input (XML: one file per document; JSON: one JSON Lines file),
/// transforms it and writes all outputs to one file. Reports wall-clock and CPU-time rates (CPU time is
/// the fair figure when other work shares the cores), checks the outputs byte for byte against the
/// peers' outputs when they are there, and samples RSS over a long run to show memory stays flat.
struct BenchMappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Documents/s for parse+map+serialize on transform.sh's documents (release build).",
        discussion: """
            Generate the documents once and keep them: DOCS_DIR=/tmp/bench-docs ../shared/bench/peers/transform.sh \
            (this also leaves the peers' outputs out.xsltproc and out.jq there for the byte comparison).
            """
    )

    @Option(name: .long, help: "Directory with xml/d*.xml and docs.jsonl from gen_docs.py (and out.xsltproc / out.jq).")
    var docs: String

    @Option(name: .long, help: "Directory with the benchmark mappings.")
    var mappings: String = "bench/mapping"

    @Option(name: .long, help: "Timed runs per format.")
    var runs: Int = 3

    @Option(name: .long, help: "Documents in the memory run (cycling through the inputs).")
    var memoryDocuments: Int = 100_000

    @Option(name: .long, help: "Which formats to time: xml, json or all.")
    var only: String = "all"

    @Option(name: .long, help: "Where to write the outputs (default: a temporary directory, removed afterwards).")
    var out: String?

    func run() throws {
        let docsURL = URL(fileURLWithPath: docs)
        let set = try loadMappings()
        let xmlDir = docsURL.appendingPathComponent("xml")
        let xmlFiles = try FileManager.default.contentsOfDirectory(atPath: xmlDir.path)
            .filter { $0.hasSuffix(".xml") }.sorted().map { xmlDir.appendingPathComponent($0) }
        let jsonLines = try Data(contentsOf: docsURL.appendingPathComponent("docs.jsonl"))
        guard !xmlFiles.isEmpty else { throw ValidationError("no xml/*.xml in \(docs)") }

        let outDir = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("amtsbote-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        defer { if out == nil { try? FileManager.default.removeItem(at: outDir) } }

        print("# amtsbote bench mapping: \(xmlFiles.count) XML documents, \(lineCount(jsonLines)) JSON lines, runs: \(runs), cpus: \(ProcessInfo.processInfo.activeProcessorCount), load average before: \(loadAverage())")
        print("| format | docs/s min | docs/s median | docs/s max | median wall s | µs/doc (median) | median CPU s (user+sys) | docs/s per CPU-s | output = peer's |")
        print("|---|---|---|---|---|---|---|---|---|")

        if only != "json" {
            let xmlOut = outDir.appendingPathComponent("out.amtsbote.xml")
            let xmlTimes = try (0 ..< runs).map { _ in try measure { try runXML(set, files: xmlFiles, output: xmlOut) } }
            printRow("XML → XML (≙ xsltproc)", count: xmlFiles.count, times: xmlTimes,
                     same: compare(xmlOut, docsURL.appendingPathComponent("out.xsltproc")))
        }
        if only != "xml" {
            let jsonOut = outDir.appendingPathComponent("out.amtsbote.jsonl")
            let jsonTimes = try (0 ..< runs).map { _ in try measure { try runJSON(set, lines: jsonLines, output: jsonOut) } }
            printRow("JSON → JSON (≙ jq -c)", count: lineCount(jsonLines), times: jsonTimes,
                     same: compare(jsonOut, docsURL.appendingPathComponent("out.jq")))
        }
        print("# load average after the timed runs: \(loadAverage()) (other work on the same cores inflates wall-clock times; CPU-s rates are the fairer figure)")
        if memoryDocuments > 0 {
            try memoryRun(set, files: xmlFiles, lines: jsonLines)
        }
    }

    private func loadMappings() throws -> MappingSet {
        do {
            return try MappingSet.load(directory: URL(fileURLWithPath: mappings))
        } catch let errors as MappingLoadErrors {
            throw ValidationError("benchmark mappings do not compile:\n\(errors)")
        }
    }

    private func lineCount(_ data: Data) -> Int {
        lineRanges(data).count
    }

    /// Byte ranges of the non-empty lines (memchr over the raw bytes: iterating `Data` byte by byte
    /// would cost more than parsing the documents).
    private func lineRanges(_ data: Data) -> [Range<Int>] {
        data.withUnsafeBytes { raw -> [Range<Int>] in
            guard let base = raw.baseAddress else { return [] }
            var ranges: [Range<Int>] = []
            var start = 0
            while start < raw.count {
                let found = memchr(base + start, 0x0A, raw.count - start)
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                if end > start { ranges.append(start ..< end) }
                start = end + 1
            }
            return ranges
        }
    }

    /// Parse + map + serialise every XML file; returns the number of documents.
    private func runXML(_ set: MappingSet, files: [URL], output: URL) throws -> Int {
        var sink = try OutputSink(output)
        for file in files {
            let data = try Data(contentsOf: file)
            let document = try SourceDocument.parse(data, contentType: "application/xml")
            let mapped = try set.map(target: "bench-xml", document: document, formID: nil, attachments: [])
            try sink.write(mapped.body)
        }
        try sink.close()
        return files.count
    }

    /// Parse + map + serialise every JSON line; returns the number of documents.
    private func runJSON(_ set: MappingSet, lines: Data, output: URL) throws -> Int {
        var sink = try OutputSink(output)
        let ranges = lineRanges(lines)
        for range in ranges {
            let document = try SourceDocument.parse(lines.subdata(in: range), contentType: "application/json")
            let mapped = try set.map(target: "bench-json", document: document, formID: nil, attachments: [])
            try sink.write(mapped.body)
        }
        try sink.close()
        return ranges.count
    }

    struct Timing {
        var documents: Int
        var wall: Double
        var cpu: Double
    }

    private func measure(_ body: () throws -> Int) throws -> Timing {
        let cpuBefore = cpuSeconds()
        let clock = ContinuousClock()
        var documents = 0
        let elapsed = try clock.measure { documents = try body() }
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Timing(documents: documents, wall: wall, cpu: cpuSeconds() - cpuBefore)
    }

    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private func printRow(_ label: String, count: Int, times: [Timing], same: String) {
        let rates = times.map { Double(count) / $0.wall }.sorted()
        let walls = times.map(\.wall).sorted()
        let cpus = times.map(\.cpu).sorted()
        let medianWall = walls[walls.count / 2]
        let medianCPU = cpus[cpus.count / 2]
        let row = [
            label,
            String(format: "%.0f", rates[0]),
            String(format: "%.0f", rates[rates.count / 2]),
            String(format: "%.0f", rates[rates.count - 1]),
            String(format: "%.2f", medianWall),
            String(format: "%.0f", medianWall / Double(count) * 1e6),
            String(format: "%.2f", medianCPU),
            String(format: "%.0f", Double(count) / medianCPU),
            same,
        ]
        print("| " + row.joined(separator: " | ") + " |")
    }

    /// Whether our output equals the peer's byte for byte.
    private func compare(_ ours: URL, _ peer: URL) -> String {
        guard let theirs = FileManager.default.contents(atPath: peer.path) else { return "(no \(peer.lastPathComponent) to compare)" }
        guard let mine = FileManager.default.contents(atPath: ours.path) else { return "no output" }
        return mine == theirs ? "identical (\(mine.count) bytes)" : "DIFFERENT (\(mine.count) vs \(theirs.count) bytes)"
    }

    /// Maps `memoryDocuments` documents (XML and JSON alternating, cycling through the inputs) and
    /// samples RSS, to show that nothing accumulates per document.
    private func memoryRun(_ set: MappingSet, files: [URL], lines: Data) throws {
        let xmlInputs = try files.map { try Data(contentsOf: $0) }
        let jsonInputs = lineRanges(lines).map { lines.subdata(in: $0) }
        var samples: [(Int, Int)] = [(0, residentBytes())]
        let sampleEvery = max(1, memoryDocuments / 20)
        var bytesOut = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for i in 0 ..< memoryDocuments {
                let mapped: MappedDocument
                if i % 2 == 0 {
                    let document = try SourceDocument.parse(xmlInputs[(i / 2) % xmlInputs.count], contentType: "application/xml")
                    mapped = try set.map(target: "bench-xml", document: document, formID: nil, attachments: [])
                } else {
                    let document = try SourceDocument.parse(jsonInputs[(i / 2) % jsonInputs.count], contentType: "application/json")
                    mapped = try set.map(target: "bench-json", document: document, formID: nil, attachments: [])
                }
                bytesOut += mapped.body.count
                if (i + 1) % sampleEvery == 0 { samples.append((i + 1, residentBytes())) }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let mib = { (bytes: Int) in String(format: "%.1f", Double(bytes) / 1_048_576) }
        let rss = samples.map(\.1)
        print("")
        print("# memory: \(memoryDocuments) documents (XML/JSON alternating, inputs preloaded), \(String(format: "%.0f", Double(memoryDocuments) / seconds)) docs/s, \(bytesOut) bytes out")
        print("# RSS MiB after " + samples.map { "\($0.0): \(mib($0.1))" }.joined(separator: ", "))
        if rss.count > 1, let last = rss.last, let high = rss.max() {
            // Sample 0 is taken after the inputs were loaded and before the first document is mapped.
            print("# RSS before mapping \(mib(rss[0])) MiB, after the first \(samples[1].0) documents \(mib(rss[1])) MiB, "
                + "last \(mib(last)) MiB, max \(mib(high)) MiB, growth from first sample after start to last \(mib(last - rss[1])) MiB")
        }
    }

    /// The 1, 5 and 15 minute load averages, to record what else was running.
    private func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    private func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Buffered output file: appends into memory and writes in 1 MiB chunks.
private struct OutputSink {
    private let handle: FileHandle
    private var buffer: Data

    init(_ url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
        buffer = Data()
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ data: Data) throws {
        buffer.append(data)
        if buffer.count >= 1 << 20 {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    mutating func close() throws {
        try handle.write(contentsOf: buffer)
        try handle.close()
    }
}
