import Foundation

/// Where and how an `http` target receives jobs.
package struct HTTPTargetConfiguration: Sendable, Equatable {
    /// The two methods department APIs use for "here is a new case".
    package enum Method: String, Sendable, Equatable, Decodable {
        case POST, PUT
    }

    /// Absolute `http://` or `https://` URL the mapped document is sent to.
    package var url: URL
    /// Default POST.
    package var method: Method
    /// Static headers sent with every request (e.g. `X-Mandant: 0815`). Content-Type, Authorization,
    /// Idempotency-Key, Content-Length and Host are set by Amtsbote and refused here.
    package var headers: [String: String]
    /// Bearer or basic auth; nil = none.
    package var auth: TargetAuthentication?
    /// Custom CA and client certificate; nil = system trust store, no client certificate.
    package var tls: TLSFiles?
    /// Whole-request deadline (connect, send, answer). Default 30 s. A target that never answers
    /// costs a worker at most this long, so it cannot hold up anything beyond its own queue.
    package var timeout: TimeInterval

    package init(
        url: URL,
        method: Method = .POST,
        headers: [String: String] = [:],
        auth: TargetAuthentication? = nil,
        tls: TLSFiles? = nil,
        timeout: TimeInterval = 30
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.auth = auth
        self.tls = tls
        self.timeout = timeout
    }

    /// Header names Amtsbote sets itself; static headers must not override them.
    package static let reservedHeaders: Set<String> = [
        "content-type", "content-length", "authorization", "idempotency-key", "host", "transfer-encoding",
    ]
}
