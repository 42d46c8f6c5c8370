import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `amtsbote bench http-floor`: a Hummingbird server that does the least a submission endpoint
/// can do (read the body, answer 202 with a small JSON receipt) and nothing else: no auth, no
/// parsing, no spool, no logging. Loaded with `../shared/bench/peers/http-ceiling.sh URL` next
/// to nginx and `amtsbote serve`, it shows how much of the gap to nginx is the HTTP framework
/// itself on this machine and how much is Amtsbote's own work.
struct BenchHTTPFloorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-floor",
        abstract: "Serve POST /v1/submissions with a bare Hummingbird handler (framework ceiling for comparisons)."
    )

    @Option(help: "Port on 127.0.0.1.")
    var port: Int = 18081

    func run() async throws {
        let router = Router()
        router.post("/v1/submissions") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 25 << 20)
            let receipt = #"{"id":"x","bytes":\#(body.readableBytes)}"#
            return Response(
                status: .accepted,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: receipt))
            )
        }
        var logger = Logger(label: "http-floor")
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), backlog: 1024),
            logger: logger
        )
        FileHandle.standardOutput.write(Data("http-floor listening on 127.0.0.1:\(port)\n".utf8))
        try await app.runService()
    }
}
