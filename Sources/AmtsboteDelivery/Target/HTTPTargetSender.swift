import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sends jobs to an `http` target with AsyncHTTPClient.
///
/// Every request carries `Idempotency-Key: <message-id>/<target>`. The body is the mapped document
/// with its content type, or `multipart/form-data` when attachments are passed through. Credentials
/// and TLS files are read once here, so a missing secret fails start-up instead of every delivery.
package struct HTTPTargetSender: TargetSender {
    package let target: String
    package let configuration: HTTPTargetConfiguration
    private let client: HTTPClient
    private let authorization: String?
    private let tlsConfiguration: TLSConfiguration?

    /// Most response bytes read (and discarded); the answer body is never stored or logged.
    private static let maximumResponseBytes = 1 << 20

    /// - Parameters:
    ///   - target: the target's name (for the idempotency key).
    ///   - configuration: url, method, headers, auth, TLS, timeout.
    ///   - client: a shared client (one per `DeliveryService`); per-target TLS goes on each request.
    ///   - environment: where `tokenEnv`/`passwordEnv` are looked up.
    /// - Throws: `DeliveryError` `.secretUnavailable` or `.tlsUnavailable`.
    package init(
        target: String,
        configuration: HTTPTargetConfiguration,
        client: HTTPClient,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.target = target
        self.configuration = configuration
        self.client = client
        switch configuration.auth {
        case nil:
            authorization = nil
        case .bearer(let token):
            authorization = "Bearer \(try token.resolve(environment: environment))"
        case .basic(let username, let password):
            let pair = "\(username):\(try password.resolve(environment: environment))"
            authorization = "Basic \(Data(pair.utf8).base64EncodedString())"
        }
        tlsConfiguration = try configuration.tls.map(Self.makeTLSConfiguration)
    }

    private static func makeTLSConfiguration(_ files: TLSFiles) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = files.caFile {
                guard FileManager.default.isReadableFile(atPath: ca) else {
                    throw DeliveryError(.tlsUnavailable, "cannot read caFile \(ca)")
                }
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            }
            if let certificate = files.certificateFile, let key = files.keyFile {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw DeliveryError(.tlsUnavailable, "cannot load TLS files (\(String(describing: error).prefix(120)))")
        }
        return tls
    }

    package func send(_ item: DeliveryItem) async -> SendResult {
        var request = HTTPClientRequest(url: configuration.url.absoluteString)
        request.method = configuration.method == .PUT ? .PUT : .POST
        for (name, value) in configuration.headers { request.headers.add(name: name, value: value) }
        request.headers.replaceOrAdd(name: "Idempotency-Key", value: item.idempotencyKey)
        if let authorization { request.headers.replaceOrAdd(name: "Authorization", value: authorization) }
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
        request.tlsConfiguration = tlsConfiguration

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
