/// TLS settings of an HTTP target, as file paths (PEM): a private CA the department system's
/// certificate is issued by, and optionally our client certificate for mutual TLS.
///
/// YAML: `tls: { caFile: /etc/amtsbote/ca.pem, certificateFile: client.pem, keyFile: client.key }`
package struct TLSFiles: Sendable, Equatable {
    /// PEM bundle of trusted roots; nil = the system trust store.
    package var caFile: String?
    /// PEM client certificate chain for mutual TLS; requires `keyFile`.
    package var certificateFile: String?
    /// PEM private key of `certificateFile`.
    package var keyFile: String?

    package init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}

extension TLSFiles: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case caFile, certificateFile, keyFile
    }

    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: Set(Keys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: Keys.self)
        self.init(
            caFile: try container.decodeIfPresent(String.self, forKey: .caFile),
            certificateFile: try container.decodeIfPresent(String.self, forKey: .certificateFile),
            keyFile: try container.decodeIfPresent(String.self, forKey: .keyFile)
        )
        guard (certificateFile == nil) == (keyFile == nil) else {
            throw decoder.invalid("certificateFile and keyFile go together (mutual TLS needs both)")
        }
    }
}
