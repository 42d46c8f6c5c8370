import AmtsboteTestSupport
import AsyncHTTPClient
import Foundation
import NIOSSL
import Testing

@testable import AmtsboteDelivery

/// HTTPS targets with a private CA and mutual TLS, against a real TLS sink on 127.0.0.1.
@Suite(.timeLimit(.minutes(2))) struct HTTPTargetTLSTests {
    private let item = DeliveryItem(
        messageID: "01JDZ0000000000000000000TL",
        target: "tls",
        formID: nil,
        receivedAt: Date(),
        document: OutgoingDocument(body: Data("{}".utf8), contentType: "application/json", fileExtension: "json")
    )

    /// A sink that trusts only the test CA and requires a client certificate from it.
    private func serverTLS(_ certificates: TestCertificates) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificates.serverCertificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.serverKey, format: .pem))
        )
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificates.caCertificate))
        tls.certificateVerification = .noHostnameVerification
        return tls
    }

    private func send(_ tls: TLSFiles?, to url: URL) async throws -> SendResult {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let sender = try HTTPTargetSender(target: "tls", configuration: HTTPTargetConfiguration(url: url, tls: tls, timeout: 2), client: client)
        let result = await sender.send(item)
        try await client.shutdown()
        return result
    }

    @Test func customCAAndClientCertificateAreUsed() async throws {
        try await withTemporaryDirectory { (directory: URL) async throws in
            let certificates = try await TestCertificates.make(directory: directory)
            try await HTTPSink.with(tls: try serverTLS(certificates)) { sink, url in
                #expect(url.scheme == "https")
                let mutual = TLSFiles(caFile: certificates.caCertificate, certificateFile: certificates.clientCertificate, keyFile: certificates.clientKey)
                #expect(try await send(mutual, to: url) == .delivered(status: 200))
                #expect(sink.received.count == 1)

                // Without the private CA the server's certificate is not trusted.
                let untrusted = try await send(TLSFiles(certificateFile: certificates.clientCertificate, keyFile: certificates.clientKey), to: url)
                guard case .transient(nil, _, nil) = untrusted else {
                    Issue.record("expected a transient TLS failure, got \(untrusted)")
                    return
                }
                // Without a client certificate the server refuses the handshake.
                let anonymous = try await send(TLSFiles(caFile: certificates.caCertificate), to: url)
                guard case .transient(nil, _, nil) = anonymous else {
                    Issue.record("expected a transient TLS failure, got \(anonymous)")
                    return
                }
                #expect(sink.received.count == 1)
            }
        }
    }
}
