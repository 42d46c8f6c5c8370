import AmtsboteDelivery
import Foundation
import Logging
import Yams

/// Loading `config/amtsbote.yaml`.
///
/// Keys (all optional; defaults in parentheses):
/// ```yaml
/// listen: {host: 127.0.0.1, port: 8080}
/// spool: spool                      # directory, relative to the working directory
/// segments: {size: 64MiB, prepared: 2}   # spool segment size; zero-filled spares kept ready
/// mappings: mappings                # directory, watched for changes
/// mappingsReloadInterval: 1s
/// shutdownGracePeriod: 8s
/// limits: {maxBodySize: 25MiB, maxAttachments: 32, maxPartHeaderSize: 16KiB, maxIdempotencyKeyLength: 255}
/// disk: {minimumFree: 256MiB, checkInterval: 1s, retryAfter: 30s}
/// retention: {finishedMessages: 30d, purgeInterval: 1h}
/// portal:
///   clients:
///     - {name: portal, tokenSHA256: <64 hex digits>, scopes: [submit, status]}
/// log: {format: text, level: info}  # format: text | json
/// admin: {socket: admin.sock, enabled: true}
/// targets: ...                      # delivery targets, decoded by the delivery module (docs/targets.md)
/// ```
extension ServerConfiguration {
    /// Top-level keys of the configuration file.
    package static let configFileKeys: Set<String> = [
        "listen", "spool", "segments", "mappings", "mappingsReloadInterval", "shutdownGracePeriod", "limits", "disk",
        "retention", "portal", "log", "admin", "targets",
    ]

    /// Reads and validates a configuration file.
    /// - Throws: `ConfigFileError` naming `file:line:column` and the key.
    package static func load(file path: String) throws -> ServerConfiguration {
        try self.decode(yaml: ConfigFileReader.text(ofFile: path), file: path)
    }

    /// Decodes configuration text; `file` is only used in error messages.
    package static func decode(yaml: String, file: String) throws -> ServerConfiguration {
        let root = try ConfigFileReader.root(ofYAML: yaml, file: file)
        var configuration = try self.decode(root: root)
        guard let root, case .mapping(let mapping) = root.node, mapping["targets"] != nil else { return configuration }
        do {
            configuration.targets = try TargetConfiguration.targets(fromYAML: yaml, file: file)
        } catch let error as DeliveryError {
            throw ConfigFileError(locatedMessage: error.message, file: file)
        }
        return configuration
    }

    private static func decode(root: ConfigNode?) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        guard let root else { return configuration }
        let keys = try root.mapping(allowedKeys: self.configFileKeys)
        if let node = keys["listen"] { configuration.listen = try self.listen(node) }
        if let node = keys["spool"] { configuration.spoolDirectory = try node.nonEmptyString() }
        if let node = keys["segments"] { configuration.segments = try self.segments(node) }
        if let node = keys["mappings"] { configuration.mappingsDirectory = try node.nonEmptyString() }
        if let node = keys["mappingsReloadInterval"] { configuration.mappingsReloadInterval = try node.duration() }
        if let node = keys["shutdownGracePeriod"] { configuration.shutdownGracePeriod = try node.duration() }
        if let node = keys["limits"] { configuration.limits = try self.limits(node) }
        if let node = keys["disk"] { configuration.disk = try self.disk(node) }
        if let node = keys["retention"] { configuration.retention = try self.retention(node) }
        if let node = keys["portal"] { configuration.clients = try self.clients(node) }
        if let node = keys["log"] { configuration.log = try self.log(node) }
        if let node = keys["admin"] { configuration.admin = try self.admin(node) }
        try self.checkListenSafety(configuration, listenNode: keys["listen"] ?? root)
        return configuration
    }

    private static func listen(_ node: ConfigNode) throws -> ListenConfiguration {
        var listen = ListenConfiguration()
        let keys = try node.mapping(allowedKeys: ["host", "port"])
        if let host = keys["host"] { listen.host = try host.nonEmptyString() }
        if let port = keys["port"] { listen.port = try port.int(in: 0...65535) }
        return listen
    }

    private static func limits(_ node: ConfigNode) throws -> LimitsConfiguration {
        var limits = LimitsConfiguration()
        let keys = try node.mapping(allowedKeys: ["maxBodySize", "maxAttachments", "maxPartHeaderSize", "maxIdempotencyKeyLength"])
        if let value = keys["maxBodySize"] {
            limits.maxBodyBytes = try value.byteCount()
            guard limits.maxBodyBytes > 0 else { throw value.error(.invalidValue, "must be greater than 0") }
        }
        if let value = keys["maxAttachments"] { limits.maxAttachments = try value.int(in: 0...10_000) }
        if let value = keys["maxPartHeaderSize"] {
            limits.maxPartHeaderBytes = try value.byteCount()
            guard limits.maxPartHeaderBytes >= 256 else { throw value.error(.invalidValue, "must be at least 256 bytes") }
        }
        if let value = keys["maxIdempotencyKeyLength"] { limits.maxIdempotencyKeyBytes = try value.int(in: 1...4096) }
        return limits
    }

    private static func segments(_ node: ConfigNode) throws -> SegmentsConfiguration {
        var segments = SegmentsConfiguration()
        let keys = try node.mapping(allowedKeys: ["size", "prepared"])
        if let value = keys["size"] {
            segments.sizeBytes = try value.byteCount()
            guard SegmentsConfiguration.sizeRange.contains(segments.sizeBytes), segments.sizeBytes % 4096 == 0 else {
                throw value.error(.invalidValue, "must be whole 4 KiB pages from 1MiB to 1GiB")
            }
        }
        if let value = keys["prepared"] { segments.prepared = try value.int(in: SegmentsConfiguration.preparedRange) }
        return segments
    }

    private static func disk(_ node: ConfigNode) throws -> DiskConfiguration {
        var disk = DiskConfiguration()
        let keys = try node.mapping(allowedKeys: ["minimumFree", "checkInterval", "retryAfter"])
        if let value = keys["minimumFree"] { disk.minimumFreeBytes = try value.byteCount() }
        if let value = keys["checkInterval"] { disk.checkInterval = try value.duration() }
        if let value = keys["retryAfter"] { disk.retryAfter = try value.duration() }
        return disk
    }

    private static func retention(_ node: ConfigNode) throws -> RetentionConfiguration {
        var retention = RetentionConfiguration()
        let keys = try node.mapping(allowedKeys: ["finishedMessages", "purgeInterval"])
        if let value = keys["finishedMessages"] { retention.finishedMessages = try value.duration() }
        if let value = keys["purgeInterval"] { retention.purgeInterval = try value.duration() }
        return retention
    }

    private static func clients(_ node: ConfigNode) throws -> [PortalClient] {
        let keys = try node.mapping(allowedKeys: ["clients"])
        guard let list = keys["clients"] else { return [] }
        var clients: [PortalClient] = []
        var names: Set<String> = []
        for entry in try list.sequence() {
            let fields = try entry.mapping(allowedKeys: ["name", "tokenSHA256", "scopes"])
            guard let nameNode = fields["name"] else { throw entry.error(.missingKey, "missing key 'name'") }
            let name = try nameNode.nonEmptyString()
            guard names.insert(name).inserted else { throw nameNode.error(.invalidValue, "client name '\(name)' is used twice") }
            guard let digestNode = fields["tokenSHA256"] else {
                throw entry.error(.missingKey, "missing key 'tokenSHA256' (create one with `amtsbote token new \(name)`)")
            }
            guard let digest = TokenDigest(hex: try digestNode.string()) else {
                throw digestNode.error(.invalidValue, "expected the token's SHA-256 as 64 hex digits (never the token itself)")
            }
            var scopes = Set(PortalClient.Scope.allCases)
            if let scopeNode = fields["scopes"] {
                scopes = []
                for item in try scopeNode.sequence() {
                    guard let scope = PortalClient.Scope(rawValue: try item.string()) else {
                        let known = PortalClient.Scope.allCases.map(\.rawValue).joined(separator: ", ")
                        throw item.error(.invalidValue, "unknown scope (known: \(known))")
                    }
                    scopes.insert(scope)
                }
            }
            clients.append(PortalClient(name: name, tokenDigest: digest, scopes: scopes))
        }
        return clients
    }

    private static func log(_ node: ConfigNode) throws -> LogConfiguration {
        var log = LogConfiguration()
        let keys = try node.mapping(allowedKeys: ["format", "level"])
        if let value = keys["format"] {
            guard let format = LogConfiguration.Format(rawValue: try value.string()) else {
                throw value.error(.invalidValue, "expected text or json")
            }
            log.format = format
        }
        if let value = keys["level"] {
            guard let level = Logger.Level(rawValue: try value.string()) else {
                let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw value.error(.invalidValue, "expected one of \(known)")
            }
            log.level = level
        }
        return log
    }

    private static func admin(_ node: ConfigNode) throws -> AdminConfiguration {
        var admin = AdminConfiguration()
        let keys = try node.mapping(allowedKeys: ["socket", "enabled"])
        if let value = keys["socket"] { admin.socket = try value.nonEmptyString() }
        if let value = keys["enabled"] { admin.enabled = try value.bool() }
        return admin
    }

    private static func checkListenSafety(_ configuration: ServerConfiguration, listenNode: ConfigNode) throws {
        do {
            try configuration.checkListenSafety()
        } catch let error as ServerSetupError {
            throw listenNode.error(.invalidValue, error.message)
        }
    }
}
