import Foundation
import Testing
import Yams

@testable import AmtsboteDelivery

@Suite struct TargetConfigurationTests {
    /// Decodes a `targets:` section the way the server does.
    private func decode(_ yaml: String) throws -> [String: TargetConfiguration] {
        struct File: Decodable { var targets: [String: TargetConfiguration] }
        return try YAMLDecoder().decode(File.self, from: yaml).targets
    }

    /// The one-line message an operator would see for a broken section.
    private func message(_ yaml: String) -> String {
        do {
            _ = try decode(yaml)
            return "decoded without error"
        } catch {
            return TargetConfiguration.describe(error)
        }
    }

    @Test func fullHTTPAndFileTargetsDecode() throws {
        let targets = try decode(
            """
            targets:
              gewerbeamt:
                kind: http
                url: https://gewerbe.example.local/api/anmeldungen
                method: put
                headers: { X-Mandant: "0815" }
                auth: { type: bearer, tokenEnv: GEWERBE_TOKEN }
                tls: { caFile: /etc/amtsbote/ca.pem, certificateFile: /etc/amtsbote/c.pem, keyFile: /etc/amtsbote/c.key }
                timeout: 5s
                concurrency: 8
                retry: { initialDelay: 250ms, multiplier: 3, maximumDelay: 10m, jitter: none }
                lifetime: 2d
                breaker: { failureThreshold: 2, openDuration: 1m, maximumOpenDuration: 1h }
              hundesteuer:
                kind: file
                directory: ./out/hundesteuer
                fileName: "{date}-{form}-{id}.{ext}"
                createDirectory: false
            """
        )
        let gewerbe = try #require(targets["gewerbeamt"])
        guard case .http(let http) = gewerbe.kind else {
            Issue.record("expected http")
            return
        }
        #expect(http.url.absoluteString == "https://gewerbe.example.local/api/anmeldungen")
        #expect(http.method == .PUT)
        #expect(http.headers == ["X-Mandant": "0815"])
        #expect(http.auth == .bearer(token: .environment("GEWERBE_TOKEN")))
        #expect(http.tls == TLSFiles(caFile: "/etc/amtsbote/ca.pem", certificateFile: "/etc/amtsbote/c.pem", keyFile: "/etc/amtsbote/c.key"))
        #expect(http.timeout == 5)
        #expect(gewerbe.concurrency == 8)
        #expect(gewerbe.retry == RetryPolicy(initialDelay: 0.25, multiplier: 3, maximumDelay: 600, jitter: .none))
        #expect(gewerbe.lifetime == 172_800)
        #expect(gewerbe.breaker == CircuitBreakerConfiguration(failureThreshold: 2, openDuration: 60, maximumOpenDuration: 3600))

        let hund = try #require(targets["hundesteuer"])
        #expect(hund.kind == .file(FileTargetConfiguration(directory: "./out/hundesteuer", fileName: "{date}-{form}-{id}.{ext}", createDirectory: false)))
    }

    @Test func minimalEntriesGetTheDocumentedDefaults() throws {
        let targets = try decode(
            """
            targets:
              a: { kind: http, url: "http://127.0.0.1:8080/in" }
              b: { kind: file, directory: out/b }
            """
        )
        let a = try #require(targets["a"])
        #expect(a.concurrency == 4)
        #expect(a.retry == RetryPolicy(initialDelay: 10, multiplier: 2, maximumDelay: 3600, jitter: .full))
        #expect(a.lifetime == 5 * 86_400)
        #expect(a.breaker == CircuitBreakerConfiguration(failureThreshold: 5, openDuration: 30, maximumOpenDuration: 600))
        guard case .http(let http) = a.kind else { throw DeliveryError(.invalidConfiguration, "not http") }
        #expect(http.method == .POST && http.timeout == 30 && http.auth == nil && http.tls == nil)
        #expect(targets["b"]?.kind == .file(FileTargetConfiguration(directory: "out/b", fileName: "{id}.{ext}", createDirectory: true)))
    }

    @Test func basicAuthFromAFile() throws {
        let targets = try decode(
            """
            targets:
              s:
                kind: http
                url: https://s.example/x
                auth: { type: basic, username: amtsbote, passwordFile: /run/secrets/s }
            """
        )
        guard case .http(let http) = targets["s"]?.kind else { throw DeliveryError(.invalidConfiguration, "not http") }
        #expect(http.auth == .basic(username: "amtsbote", password: .file("/run/secrets/s")))
    }

    @Test(arguments: [
        ("t: { kind: http, url: 'http://x/', retires: 3 }", "targets.t.retires: unknown key 'retires'"),
        ("t: { kind: ftp, directory: x }", "targets.t.kind: unknown kind 'ftp'; expected http or file"),
        ("t: { directory: x }", "targets.t: missing key 'kind' (http or file)"),
        ("t: { kind: http }", "targets.t: missing key 'url' (required for kind http)"),
        ("t: { kind: http, url: 'ftp://x/' }", "targets.t.url: must be an absolute http:// or https:// URL"),
        ("t: { kind: http, url: 'http://x/', method: GET }", "targets.t.method: must be POST or PUT"),
        ("t: { kind: http, url: 'http://x/', timeout: soon }", "targets.t.timeout: expected a duration such as 250ms"),
        ("t: { kind: http, url: 'http://x/', auth: { type: bearer, token: abc } }", "targets.t.auth.token: secrets are never written in the config"),
        ("t: { kind: http, url: 'http://x/', auth: { type: bearer } }", "targets.t.auth: missing tokenEnv or tokenFile"),
        ("t: { kind: http, url: 'http://x/', headers: { Authorization: x } }", "targets.t.headers.Authorization: set by Amtsbote itself"),
        ("t: { kind: http, url: 'http://x/', tls: { caFile: a } }", "targets.t.tls: tls settings need an https:// url"),
        ("t: { kind: http, url: 'https://x/', tls: { certificateFile: a } }", "targets.t.tls: certificateFile and keyFile go together"),
        ("t: { kind: http, url: 'http://x/', concurrency: 0 }", "targets.t.concurrency: must be between 1 and 256"),
        ("t: { kind: http, url: 'http://x/', retry: { initialDelay: 0 } }", "targets.t.retry.initialDelay: must be greater than 0"),
        ("t: { kind: http, url: 'http://x/', retry: { initialDelay: 2m, maximumDelay: 1m } }", "targets.t.retry.maximumDelay: must not be smaller than initialDelay"),
        ("t: { kind: http, url: 'http://x/', breaker: { failureThreshold: 0 } }", "targets.t.breaker.failureThreshold: must be at least 1"),
        ("t: { kind: file, directory: x, fileName: 'out.xml' }", "targets.t.fileName: must contain {id}"),
        ("t: { kind: file, directory: x, fileName: '{id}.{extension}' }", "targets.t.fileName: unknown placeholder {extension}"),
        ("t: { kind: file, directory: x, fileName: '.{id}' }", "targets.t.fileName: must not start with '.'"),
        ("t: { kind: file, directory: x, fileName: 'a/{id}' }", "targets.t.fileName: must be a file name, not a path"),
        ("t: { kind: file, directory: x, url: 'http://x/' }", "targets.t.url: unknown key 'url'"),
        ("t: { kind: http, url: 'http://x/', concurrency: many }", "targets.t.concurrency: expected an integer"),
    ])
    func invalidEntriesNameTheKeyAndTheProblem(entry: String, expected: String) {
        let got = message("targets:\n  \(entry)\n")
        #expect(got.hasPrefix(expected), "got: \(got)")
    }

    @Test(arguments: [("250ms", 0.25), ("10s", 10), ("5m", 300), ("1h", 3600), ("5d", 432_000), ("30", 30), ("0.5", 0.5), (" 2 h ", 7200)])
    func durations(text: String, seconds: Double) {
        #expect(ConfigDuration.parse(text) == seconds)
    }

    @Test(arguments: ["", "s", "10x", "-1s", "1e3", "ten seconds", "5 ms s"])
    func notDurations(text: String) {
        #expect(ConfigDuration.parse(text) == nil)
    }

    @Test func secretsResolveFromEnvironmentAndFileWithoutLeakingThem() throws {
        #expect(try SecretSource.environment("TOKEN").resolve(environment: ["TOKEN": "s3cr3t"]) == "s3cr3t")
        let missing = #expect(throws: DeliveryError.self) { try SecretSource.environment("NOPE").resolve(environment: [:]) }
        #expect(missing?.description == "secret unavailable: environment variable NOPE is not set or empty")
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("token")
            try Data("file-secret\n".utf8).write(to: file)
            #expect(try SecretSource.file(file.path).resolve(environment: [:]) == "file-secret")
            try Data("a\nb\n".utf8).write(to: file)
            #expect(throws: DeliveryError(.secretUnavailable, "")) { try SecretSource.file(file.path).resolve(environment: [:]) }
        }
    }
}

@Suite struct TargetConfigFileTests {
    @Test func errorsPointAtFileLineAndColumn() {
        let yaml = """
            listen:
              port: 8080
            targets:
              gewerbeamt:
                kind: http
                url: https://g.example/in
                retry:
                  initialDelay: soon
            """
        #expect(throws: DeliveryError.self) { try TargetConfiguration.targets(fromYAML: yaml, file: "config/amtsbote.yaml") }
        do {
            _ = try TargetConfiguration.targets(fromYAML: yaml, file: "config/amtsbote.yaml")
        } catch let error as DeliveryError {
            #expect(
                error.message
                    == "config/amtsbote.yaml:8:21: targets.gewerbeamt.retry.initialDelay: expected a duration such as 250ms, 10s, 5m, 1h, 5d or a number of seconds, got 'soon'"
            )
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unknownKeysArePointedAtTheKey() throws {
        let yaml = "targets:\n  t:\n    kind: file\n    directory: out\n    retires: 3\n"
        let error = #expect(throws: DeliveryError.self) { try TargetConfiguration.targets(fromYAML: yaml, file: "c.yaml") }
        #expect(error?.message.hasPrefix("c.yaml:5:5: targets.t.retires: unknown key 'retires'") == true, "\(error?.message ?? "")")
    }

    @Test func aConfigWithoutTargetsHasNone() throws {
        #expect(try TargetConfiguration.targets(fromYAML: "listen:\n  port: 1\n", file: "c.yaml").isEmpty)
        #expect(try TargetConfiguration.targets(fromYAML: "", file: "c.yaml").isEmpty)
        #expect(try TargetConfiguration.targets(fromYAML: "# only a comment\n", file: "c.yaml").isEmpty)
    }

    @Test func targetNamesArePlain() {
        let error = #expect(throws: DeliveryError.self) {
            try TargetConfiguration.targets(fromYAML: "targets:\n  'a b': { kind: file, directory: x }\n", file: "c.yaml")
        }
        #expect(error?.message.contains("targets.a b: target names use letters") == true)
    }
}
