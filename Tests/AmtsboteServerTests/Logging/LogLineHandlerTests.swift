import Foundation
import Logging
import Testing

@testable import AmtsboteServer

#if canImport(Glibc)
import Glibc
#endif

@Suite("Log lines")
struct LogLineHandlerTests {
    private func capture(format: LogConfiguration.Format, _ body: (Logger) -> Void) async throws -> String {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("log").path
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            #expect(descriptor >= 0)
            let output = LogOutput(descriptor: descriptor)
            let logger = Logger(label: "amtsbote") { label in
                LogLineHandler(label: label, format: format, level: .info, output: output)
            }
            body(logger)
            close(descriptor)
            return try String(contentsOfFile: path, encoding: .utf8)
        }
    }

    @Test("JSON lines are one object per line with sorted metadata")
    func jsonLines() async throws {
        let text = try await self.capture(format: .json) { logger in
            logger.info("Request served", metadata: ["status": "202", "client": "portal \"a\""])
            logger.debug("not shown")
        }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "Request served")
        #expect(object["client"] as? String == "portal \"a\"")
        #expect(object["status"] as? String == "202")
        #expect(object["level"] as? String == "info")
        #expect((object["time"] as? String)?.hasSuffix("Z") == true)
    }

    @Test("text lines carry the level, label, message and metadata")
    func textLines() async throws {
        let text = try await self.capture(format: .text) { logger in
            logger.warning("Disk low", metadata: ["b": "2", "a": "1"])
        }
        #expect(text.hasSuffix(" warning amtsbote: Disk low a=1 b=2\n"), "\(text)")
    }
}
