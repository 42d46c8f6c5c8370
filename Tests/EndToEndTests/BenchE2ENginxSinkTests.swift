import Foundation
import Testing

/// `amtsbote bench e2e --sink nginx` with the real binary: the counts it reads from nginx's access
/// log match what was delivered, delivery's keep-alive connections are reused (nginx discards the
/// request bodies it answers with `return 200;`), and nginx and its directory are gone afterwards.
@Suite("bench e2e with the nginx sink", .timeLimit(.minutes(3)))
struct BenchE2ENginxSinkTests {
    static let nginxInstalled = (["/usr/sbin"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init))
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/nginx") }

    @Test(
        "200 messages: 200 requests, no duplicates, at most one connection per delivery worker",
        .enabled(if: nginxInstalled, "nginx is not installed (apt-get install nginx-light)")
    )
    func countsEveryMessageOnce() async throws {
        let result = try await AmtsboteProcess.run([
            "bench", "e2e", "--messages", "200", "--rounds", "1", "--skip-light-load", "--sink", "nginx", "--target-concurrency", "4",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.text
        #expect(
            text.contains(
                "sink: 200 requests; 200 for the 200 messages of this phase, 0 of them delivered more than once (0 extra requests); 0 requests for other ids"
            ), "\(text)")
        #expect(text.contains("status 200: 200, other statuses: none"), "\(text)")
        // 4 delivery workers: 200 requests over at most 4 connections (a body nginx failed to
        // discard would break the connection or the next request on it).
        let connections = try #require(text.firstMatch(of: /nginx: (\d+) connections/).flatMap { Int($0.1) }, "\(text)")
        #expect((1...4).contains(connections), "\(text)")
        #expect(text.contains(/last delivered after \d+\.\d{3} s/), "\(text)")

        let line = try #require(text.firstMatch(of: /throughput sink: .*, pid (\d+), prefix (\S+), http:/), "\(text)")
        let pid = try #require(Int32(line.1))
        #expect(kill(pid, 0) != 0, "nginx (pid \(pid)) still runs after the bench")
        #expect(!FileManager.default.fileExists(atPath: String(line.2)), "nginx's directory \(line.2) was not removed")
    }
}
