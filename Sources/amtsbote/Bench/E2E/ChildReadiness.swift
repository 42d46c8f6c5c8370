import AsyncHTTPClient
import Foundation

/// Waits for a child process of the bench (`serve`, nginx) to answer its readiness URL: polls
/// until the expected status comes back, and fails at once if the child exits first (its log
/// tail tells why) or after `limit`.
enum ChildReadiness {
    static func wait(
        for process: Process,
        named name: String,
        url: String,
        status: UInt,
        within limit: Duration,
        every interval: Duration,
        client: HTTPClient,
        diagnostics: () -> String
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw BenchE2EError("\(name) exited (\(process.terminationStatus)): \(diagnostics())")
            }
            if let response = try? await client.execute(HTTPClientRequest(url: url), timeout: .seconds(1)),
                response.status.code == status
            {
                return
            }
            try await Task.sleep(for: interval)
        }
        throw BenchE2EError("\(name) did not answer within \(limit): \(diagnostics())")
    }
}
