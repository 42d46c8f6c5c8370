import Foundation
import Testing

@testable import AmtsboteServer

@Suite("Configuration file")
struct ConfigFileTests {
    @Test("the shipped config/amtsbote.yaml loads with the documented defaults")
    func shippedConfiguration() throws {
        let path = RepositoryPaths.root.appendingPathComponent("config/amtsbote.yaml").path
        let configuration = try ServerConfiguration.load(file: path)
        #expect(configuration.listen == ListenConfiguration(host: "127.0.0.1", port: 8080))
        #expect(configuration.spoolDirectory == "spool")
        #expect(configuration.mappingsDirectory == "mappings")
        #expect(configuration.segments == SegmentsConfiguration(sizeBytes: 64 << 20, prepared: 2))
        #expect(configuration.limits.maxBodyBytes == 25 * 1024 * 1024)
        #expect(configuration.log.format == .text)
        #expect(configuration.clients.count == 1)
        #expect(configuration.clients.first?.tokenDigest == LocalOnlyToken.digest)
        #expect(configuration.adminSocketPath == "spool/admin.sock")
    }

    @Test("an empty file gives the defaults")
    func emptyFile() throws {
        let configuration = try ServerConfiguration.decode(yaml: "", file: "empty.yaml")
        #expect(configuration.listen.port == 8080)
        #expect(configuration.clients.isEmpty)
    }

    @Test("units and every section decode")
    func fullFile() throws {
        let yaml = """
            listen: {host: localhost, port: 0}
            spool: /var/spool/amtsbote
            mappings: /etc/amtsbote/mappings
            mappingsReloadInterval: 500ms
            segments: {size: 16MiB, prepared: 0}
            limits: {maxBodySize: 2MiB, maxAttachments: 3, maxPartHeaderSize: 1KiB, maxIdempotencyKeyLength: 64}
            disk: {minimumFree: 1GB, checkInterval: 2s, retryAfter: 1m}
            retention: {finishedMessages: 7d, purgeInterval: 12h}
            log: {format: json, level: debug}
            admin: {socket: /run/amtsbote.sock, enabled: false}
            portal:
              clients:
                - name: a
                  tokenSHA256: \(String(repeating: "ab", count: 32))
                  scopes: [status]
            """
        let configuration = try ServerConfiguration.decode(yaml: yaml, file: "full.yaml")
        #expect(configuration.mappingsReloadInterval == .milliseconds(500))
        #expect(configuration.segments == SegmentsConfiguration(sizeBytes: 16 << 20, prepared: 0))
        #expect(configuration.limits == LimitsConfiguration(maxBodyBytes: 2 << 20, maxAttachments: 3, maxPartHeaderBytes: 1024, maxIdempotencyKeyBytes: 64))
        #expect(configuration.disk == DiskConfiguration(minimumFreeBytes: 1_000_000_000, checkInterval: .seconds(2), retryAfter: .seconds(60)))
        #expect(configuration.retention == RetentionConfiguration(finishedMessages: .seconds(7 * 86_400), purgeInterval: .seconds(43_200)))
        #expect(configuration.log == LogConfiguration(format: .json, level: .debug))
        #expect(configuration.adminSocketPath == "/run/amtsbote.sock")
        #expect(configuration.admin.enabled == false)
        #expect(configuration.clients.first?.scopes == [.status])
    }

    @Test(
        "mistakes name file:line:column and the key",
        arguments: [
            ("listen:\n  hots: 1.2.3.4\n", "bad.yaml:2:3: listen.hots: unknown key"),
            ("limits:\n  maxBodySize: lots\n", "bad.yaml:2:16: limits.maxBodySize: expected a byte size"),
            ("listen:\n  port: 70000\n", "bad.yaml:2:9: listen.port: must be between 0 and 65535"),
            ("log:\n  format: xml\n", "bad.yaml:2:11: log.format: expected text or json"),
            ("portal:\n  clients:\n    - name: x\n      tokenSHA256: secret\n", "bad.yaml:4:20: portal.clients[0].tokenSHA256: expected the token's SHA-256"),
            ("portal:\n  clients:\n    - tokenSHA256: x\n", "bad.yaml:3:7: portal.clients[0]: missing key 'name'"),
            ("listen: [\n", "bad.yaml:2:1:"),
            ("segments:\n  size: 3000000\n", "bad.yaml:2:9: segments.size: must be whole 4 KiB pages from 1MiB to 1GiB"),
            ("segments:\n  size: 2GiB\n", "bad.yaml:2:9: segments.size: must be whole 4 KiB pages from 1MiB to 1GiB"),
            ("segments:\n  prepared: 99\n", "bad.yaml:2:13: segments.prepared: must be between 0 and 16"),
        ]
    )
    func errorsAreLocated(yaml: String, expectedPrefix: String) throws {
        let error = try #require(throws: ConfigFileError.self) { try ServerConfiguration.decode(yaml: yaml, file: "bad.yaml") }
        #expect(error.description.hasPrefix(expectedPrefix), "got: \(error.description)")
    }

    @Test("the shipped token is refused on a non-loopback address, a real one is not")
    func localOnlyTokenNeedsLoopback() throws {
        let shipped = """
            listen: {host: 0.0.0.0, port: 8080}
            portal:
              clients:
                - {name: local, tokenSHA256: \(LocalOnlyToken.digest.hex)}
            """
        let error = try #require(throws: ConfigFileError.self) { try ServerConfiguration.decode(yaml: shipped, file: "c.yaml") }
        #expect(error.description.contains("c.yaml:1:9: listen: refusing to listen on 0.0.0.0"))
        let real = shipped.replacingOccurrences(of: LocalOnlyToken.digest.hex, with: TokenDigest(token: TokenGenerator.newToken()).hex)
        #expect(try ServerConfiguration.decode(yaml: real, file: "c.yaml").listen.host == "0.0.0.0")
        let loopback = shipped.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.2")
        #expect(try ServerConfiguration.decode(yaml: loopback, file: "c.yaml").listen.host == "127.0.0.2")
    }

    @Test("loopback detection", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true),
        ("0.0.0.0", false), ("::", false), ("10.0.0.1", false), ("127.0.0.1.example.org", false), ("1270.0.0.1", false),
    ])
    func loopback(host: String, expected: Bool) {
        #expect(ListenConfiguration(host: host, port: 1).isLoopback == expected)
    }
}
