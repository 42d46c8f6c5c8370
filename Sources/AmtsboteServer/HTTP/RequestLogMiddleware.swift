import Hummingbird
import Logging

/// Writes exactly one log line per request — id, client, method, route, status, bytes in and
/// out, latency — and turns every error into a problem document on the way. Bytes in are the
/// Content-Length, or for chunked uploads the bytes the handler read.
///
/// It never logs bodies, query strings or headers (tokens, form contents), and logs the route
/// pattern (`/v1/submissions/{id}`) rather than the raw URI so lines stay bounded.
package struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Reads the authenticated client's name from the context, if the context has one.
    private let clientName: @Sendable (Context) -> String?
    /// Reads the peer address from the context, if the context has one.
    private let peer: @Sendable (Context) -> String?

    package init(
        clientName: @escaping @Sendable (Context) -> String? = { _ in nil },
        peer: @escaping @Sendable (Context) -> String? = { _ in nil }
    ) {
        self.clientName = clientName
        self.peer = peer
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        // Chunked uploads (Transfer-Encoding, no Content-Length): count the bytes the handler
        // reads. Otherwise the declared length (or 0) is logged and the body is not wrapped, so
        // neither submissions with Content-Length nor body-less GETs pay for it.
        var request = request
        var counted: CountingRequestBody.Counter?
        if request.headers[.contentLength] == nil, request.headers[.transferEncoding] != nil {
            let counter = CountingRequestBody.Counter()
            request.body = RequestBody(asyncSequence: CountingRequestBody(base: request.body, counter: counter))
            counted = counter
        }
        var problemSlug: String?
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Problem(converting: error)
            problemSlug = problem.type.slug
            if problem.type == .internalError {
                context.logger.error("Request failed unexpectedly", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            }
            response = problem.response()
        }
        let latency = ContinuousClock.now - start
        var metadata: Logger.Metadata = [
            "request.method": "\(request.method.rawValue)",
            "request.path": "\(context.endpointPath ?? "-")",
            "client": "\(self.clientName(context) ?? "-")",
            "status": "\(response.status.code)",
            "request.bytes": "\(counted.map { String($0.value) } ?? request.headers[.contentLength] ?? "0")",
            "response.bytes": "\(response.body.contentLength.map(String.init) ?? "-")",
            "latency.ms": "\(LatencyFormat.milliseconds(latency))",
        ]
        if let peer = self.peer(context) { metadata["peer"] = "\(peer)" }
        if let problemSlug { metadata["problem"] = "\(problemSlug)" }
        if let location = response.headers[.location] { metadata["amtsbote.message.id"] = "\(location.split(separator: "/").last ?? "")" }
        context.logger.info("Request served", metadata: metadata)
        return response
    }
}
