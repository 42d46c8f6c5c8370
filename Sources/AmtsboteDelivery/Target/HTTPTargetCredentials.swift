import Foundation
import NIOSSL

/// The secret and TLS parts of an HTTP target, read once at start-up: the `Authorization` header
/// value and the TLS configuration (custom CA, client certificate). Resolving them before the
/// service runs turns a missing secret into a start-up error naming the variable or file.
package struct HTTPTargetCredentials: Sendable {
    /// Full `Authorization` header value, or nil for no auth.
    package let authorization: String?
    /// TLS settings for this target's requests, or nil for the client's defaults.
    package let tlsConfiguration: TLSConfiguration?

    /// - Throws: `DeliveryError` `.secretUnavailable` or `.tlsUnavailable`.
    package init(configuration: HTTPTargetConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
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
}
