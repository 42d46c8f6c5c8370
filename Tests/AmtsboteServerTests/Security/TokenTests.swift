import Testing

@testable import AmtsboteServer

@Suite("Tokens")
struct TokenTests {
    @Test("new tokens are random, URL-safe, and the config entry holds only the hash")
    func newTokens() throws {
        let first = TokenGenerator.newToken()
        let second = TokenGenerator.newToken()
        #expect(first != second)
        #expect(first.hasPrefix("amb_"))
        #expect(first.utf8.count == 4 + 43)
        #expect(first.dropFirst(4).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let entry = TokenGenerator.configEntry(name: "stadtportal", token: first)
        #expect(!entry.contains(first))
        #expect(!entry.contains(first.dropFirst(4)))
        #expect(entry.contains("name: stadtportal"))
        #expect(entry.contains("tokenSHA256: \(TokenDigest(token: first).hex)"))
        // The printed entry is valid configuration.
        let configuration = try ServerConfiguration.decode(yaml: "portal:\n  clients:\n" + entry, file: "entry.yaml")
        #expect(ClientAuthenticator(clients: configuration.clients).client(forToken: first)?.name == "stadtportal")
    }

    @Test("SHA-256 hex matches a known vector and round-trips")
    func digestHex() throws {
        // sha256("abc")
        let digest = TokenDigest(token: "abc")
        #expect(digest.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenDigest(hex: digest.hex.uppercased()) == digest)
        #expect(TokenDigest(hex: "zz") == nil)
        #expect(TokenDigest(hex: String(repeating: "g", count: 64)) == nil)
        #expect(!digest.description.contains(digest.hex))
    }

    @Test("constant-time comparison agrees with equality")
    func comparison() {
        let a = TokenDigest(token: "a")
        #expect(a.constantTimeEquals(TokenDigest(token: "a")))
        #expect(!a.constantTimeEquals(TokenDigest(token: "b")))
    }

    @Test("Authorization headers")
    func authorizationHeaders() {
        let client = PortalClient(name: "p", tokenDigest: TokenDigest(token: "s3cret"))
        let authenticator = ClientAuthenticator(clients: [PortalClient(name: "q", tokenDigest: TokenDigest(token: "other")), client])
        #expect(authenticator.client(forAuthorization: "Bearer s3cret")?.name == "p")
        #expect(authenticator.client(forAuthorization: "bearer s3cret")?.name == "p")
        #expect(authenticator.client(forAuthorization: "Bearer other")?.name == "q")
        #expect(authenticator.client(forAuthorization: "Bearer s3cret ") == nil)
        #expect(authenticator.client(forAuthorization: "Basic s3cret") == nil)
        #expect(authenticator.client(forAuthorization: "Bearer ") == nil)
        #expect(authenticator.client(forAuthorization: nil) == nil)
    }
}
