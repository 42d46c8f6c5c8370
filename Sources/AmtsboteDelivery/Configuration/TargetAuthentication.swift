/// How an HTTP target authenticates us. The secret part is always a `SecretSource`.
///
/// YAML:
/// ```yaml
/// auth: { type: bearer, tokenEnv: GEWERBE_TOKEN }        # or tokenFile: /run/secrets/gewerbe
/// auth: { type: basic, username: amtsbote, passwordFile: /run/secrets/hund }   # or passwordEnv
/// ```
package enum TargetAuthentication: Sendable, Equatable {
    /// `Authorization: Bearer <token>`.
    case bearer(token: SecretSource)
    /// `Authorization: Basic base64(username:password)`.
    case basic(username: String, password: SecretSource)
}

extension TargetAuthentication: Decodable {
    private enum Keys: String, CodingKey, CaseIterable {
        case type, tokenEnv, tokenFile, username, passwordEnv, passwordFile
    }

    package init(from decoder: any Decoder) throws {
        let literalSecret = "secrets are never written in the config: use tokenEnv/tokenFile or passwordEnv/passwordFile"
        try decoder.rejectUnknownKeys(
            allowed: Set(Keys.allCases.map(\.rawValue)),
            hints: ["token": literalSecret, "password": literalSecret]
        )
        let container = try decoder.container(keyedBy: Keys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "bearer":
            for key in [Keys.username, .passwordEnv, .passwordFile] where container.contains(key) {
                throw decoder.invalid("not used with type bearer", key: key.rawValue)
            }
            self = .bearer(token: try Self.secret(container, decoder, env: .tokenEnv, file: .tokenFile))
        case "basic":
            for key in [Keys.tokenEnv, .tokenFile] where container.contains(key) {
                throw decoder.invalid("not used with type basic", key: key.rawValue)
            }
            let username = try container.decode(String.self, forKey: .username)
            guard !username.isEmpty, !username.contains(":") else {
                throw decoder.invalid("must be non-empty and must not contain ':'", key: Keys.username.rawValue)
            }
            self = .basic(username: username, password: try Self.secret(container, decoder, env: .passwordEnv, file: .passwordFile))
        default:
            throw decoder.invalid("unknown auth type '\(type.prefix(32))'; expected bearer or basic", key: Keys.type.rawValue)
        }
    }

    private static func secret(
        _ container: KeyedDecodingContainer<Keys>,
        _ decoder: any Decoder,
        env: Keys,
        file: Keys
    ) throws -> SecretSource {
        let fromEnv = try container.decodeIfPresent(String.self, forKey: env)
        let fromFile = try container.decodeIfPresent(String.self, forKey: file)
        switch (fromEnv, fromFile) {
        case (let name?, nil) where !name.isEmpty: return .environment(name)
        case (nil, let path?) where !path.isEmpty: return .file(path)
        case (.some, .some): throw decoder.invalid("give either \(env.rawValue) or \(file.rawValue), not both")
        default: throw decoder.invalid("missing \(env.rawValue) or \(file.rawValue)")
        }
    }
}
