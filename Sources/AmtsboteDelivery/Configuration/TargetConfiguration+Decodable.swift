import Foundation

extension TargetConfiguration: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        // common
        case kind, concurrency, retry, lifetime, breaker
        // http
        case url, method, headers, auth, tls, timeout
        // file
        case directory, fileName, createDirectory
    }

    private static let commonKeys: [Keys] = [.kind, .concurrency, .retry, .lifetime, .breaker]
    private static let httpKeys: [Keys] = [.url, .method, .headers, .auth, .tls, .timeout]
    private static let fileKeys: [Keys] = [.directory, .fileName, .createDirectory]

    /// Reads one target entry. Errors carry the coding path (`targets.<name>.<key>`) and say what
    /// is expected; unknown keys are refused so a typo never silently falls back to a default.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        guard container.contains(.kind) else { throw decoder.invalid("missing key 'kind' (http or file)") }
        let kindName = try container.decode(String.self, forKey: .kind)
        let kind: Kind
        switch kindName {
        case "http":
            try decoder.rejectUnknownKeys(allowed: Set((Self.commonKeys + Self.httpKeys).map(\.rawValue)))
            kind = .http(try Self.decodeHTTP(container, decoder))
        case "file":
            try decoder.rejectUnknownKeys(allowed: Set((Self.commonKeys + Self.fileKeys).map(\.rawValue)))
            kind = .file(try Self.decodeFile(container, decoder))
        default:
            throw decoder.invalid("unknown kind '\(kindName.prefix(32))'; expected http or file", key: Keys.kind.rawValue)
        }
        let defaults = TargetConfiguration(kind: kind)
        self.init(
            kind: kind,
            concurrency: try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? defaults.concurrency,
            retry: try container.decodeIfPresent(RetryPolicy.self, forKey: .retry) ?? defaults.retry,
            lifetime: try ConfigDuration.decode(container, forKey: .lifetime) ?? defaults.lifetime,
            breaker: try container.decodeIfPresent(CircuitBreakerConfiguration.self, forKey: .breaker) ?? defaults.breaker
        )
        guard (1...Self.maximumConcurrency).contains(concurrency) else {
            throw decoder.invalid("must be between 1 and \(Self.maximumConcurrency)", key: Keys.concurrency.rawValue)
        }
        guard lifetime > 0 else { throw decoder.invalid("must be greater than 0", key: Keys.lifetime.rawValue) }
    }

    private static func decodeHTTP(_ container: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) throws -> HTTPTargetConfiguration {
        guard container.contains(.url) else { throw decoder.invalid("missing key 'url' (required for kind http)") }
        let urlText = try container.decode(String.self, forKey: .url)
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw decoder.invalid("must be an absolute http:// or https:// URL", key: Keys.url.rawValue)
        }
        let methodText = try container.decodeIfPresent(String.self, forKey: .method) ?? "POST"
        guard let method = HTTPTargetConfiguration.Method(rawValue: methodText.uppercased()) else {
            throw decoder.invalid("must be POST or PUT", key: Keys.method.rawValue)
        }
        let headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        for (name, value) in headers {
            if let problem = headerProblem(name: name, value: value) {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: decoder.codingPath + [Keys.headers, ConfigKey(name)], debugDescription: problem)
                )
            }
        }
        let tls = try container.decodeIfPresent(TLSFiles.self, forKey: .tls)
        if tls != nil, scheme != "https" {
            throw decoder.invalid("tls settings need an https:// url", key: Keys.tls.rawValue)
        }
        let timeout = try ConfigDuration.decode(container, forKey: .timeout) ?? 30
        guard timeout > 0 else { throw decoder.invalid("must be greater than 0", key: Keys.timeout.rawValue) }
        return HTTPTargetConfiguration(
            url: url,
            method: method,
            headers: headers,
            auth: try container.decodeIfPresent(TargetAuthentication.self, forKey: .auth),
            tls: tls,
            timeout: timeout
        )
    }

    private static func decodeFile(_ container: KeyedDecodingContainer<Keys>, _ decoder: any Decoder) throws -> FileTargetConfiguration {
        guard container.contains(.directory) else { throw decoder.invalid("missing key 'directory' (required for kind file)") }
        let directory = try container.decode(String.self, forKey: .directory)
        guard !directory.isEmpty else { throw decoder.invalid("must not be empty", key: Keys.directory.rawValue) }
        let defaults = FileTargetConfiguration(directory: directory)
        let fileName = try container.decodeIfPresent(String.self, forKey: .fileName) ?? defaults.fileName
        if let problem = FileTargetConfiguration.problem(inPattern: fileName) {
            throw decoder.invalid(problem, key: Keys.fileName.rawValue)
        }
        return FileTargetConfiguration(
            directory: directory,
            fileName: fileName,
            createDirectory: try container.decodeIfPresent(Bool.self, forKey: .createDirectory) ?? defaults.createDirectory
        )
    }

    /// Returns why a static header is refused, or nil.
    private static func headerProblem(name: String, value: String) -> String? {
        let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        guard !name.isEmpty, name.utf8.allSatisfy(tokenCharacters.contains) else { return "not a valid HTTP header name" }
        guard !HTTPTargetConfiguration.reservedHeaders.contains(name.lowercased()) else {
            return "set by Amtsbote itself (use auth: for Authorization; Content-Type comes from the mapping)"
        }
        guard !value.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 0 }) else { return "header value must not contain line breaks" }
        return nil
    }
}
