import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends jobs to an `http` target with AsyncHTTPClient.
///
/// Every request carries `Idempotency-Key: <message-id>/<target>`. The body is the mapped document
/// with its content type, or `multipart/form-data` when attachments are passed through. Credentials
/// and TLS files are read once here, so a missing secret fails start-up instead of every delivery.
package struct HTTPTargetSender: TargetSender {
    package let target: String
    package let configuration: HTTPTargetConfiguration
    private let client: HTTPClient
    private let credentials: HTTPTargetCredentials

    /// Most response bytes read (and discarded); the answer body is never stored or logged.
    private static let maximumResponseBytes = 1 << 20

    /// - Parameters:
    ///   - target: the target's name (for the idempotency key).
    ///   - configuration: url, method, headers, timeout.
    ///   - credentials: the resolved auth header and TLS configuration (read at start-up).
    ///   - client: a shared client (one per `DeliveryService`); per-target TLS goes on each request.
    package init(target: String, configuration: HTTPTargetConfiguration, credentials: HTTPTargetCredentials, client: HTTPClient) {
        self.target = target
        self.configuration = configuration
        self.credentials = credentials
        self.client = client
    }

    /// Resolves the credentials and builds the sender.
    ///
    /// - Throws: `DeliveryError` `.secretUnavailable` or `.tlsUnavailable`.
    package init(
        target: String,
        configuration: HTTPTargetConfiguration,
        client: HTTPClient,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.init(
            target: target,
            configuration: configuration,
            credentials: try HTTPTargetCredentials(configuration: configuration, environment: environment),
            client: client
        )
    }

    package func send(_ item: DeliveryItem) async -> SendResult {
        var request = HTTPClientRequest(url: configuration.url.absoluteString)
        request.method = configuration.method == .PUT ? .PUT : .POST
        for (name, value) in configuration.headers { request.headers.add(name: name, value: value) }
        request.headers.replaceOrAdd(name: "Idempotency-Key", value: item.idempotencyKey)
        if let authorization = credentials.authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
        let body: Data
        if item.document.parts.isEmpty {
            body = item.document.body
            request.headers.replaceOrAdd(name: "Content-Type", value: item.document.contentType)
        } else {
            let multipart = MultipartBody(
                document: item.document,
                documentFileName: "\(item.messageID).\(item.document.fileExtension)"
            )
            body = multipart.data
            request.headers.replaceOrAdd(name: "Content-Type", value: multipart.contentType)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        request.tlsConfiguration = credentials.tlsConfiguration

        let timeout = TimeAmount.nanoseconds(Int64(configuration.timeout * 1_000_000_000))
        do {
            let response = try await client.execute(request, timeout: timeout)
            // Drain (bounded) so the connection can be reused; the content is never kept.
            var seen = 0
            for try await chunk in response.body {
                seen += chunk.readableBytes
                if seen > Self.maximumResponseBytes { break }
            }
            return ResponseClassification.classify(
                status: Int(response.status.code),
                retryAfter: response.headers.first(name: "Retry-After"),
                now: Date()
            )
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .transient(status: nil, reason: "timeout after \(ConfigDuration.format(configuration.timeout))", retryAfter: nil)
        } catch let error as HTTPClientError {
            return .transient(status: nil, reason: error.shortDescription, retryAfter: nil)
        } catch {
            return .transient(status: nil, reason: Self.shortReason(error), retryAfter: nil)
        }
    }

    /// A short, content-free reason for a network error (type and errno text; no payload is ever in it).
    private static func shortReason(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count <= 160 ? text : String(text.prefix(157)) + "..."
    }
}
