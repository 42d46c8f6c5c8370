/// Finds the portal client a bearer token belongs to.
///
/// Every configured digest is compared (no early exit), each in constant time, so neither
/// the number of configured clients before the matching one nor the matching prefix shows
/// in the response time.
package struct ClientAuthenticator: Sendable {
    private let clients: [PortalClient]

    package init(clients: [PortalClient]) {
        self.clients = clients
    }

    /// The client whose token digest matches, or nil.
    package func client(forToken token: some StringProtocol) -> PortalClient? {
        let presented = TokenDigest(token: token)
        var match: PortalClient?
        for client in self.clients where client.tokenDigest.constantTimeEquals(presented) {
            match = client
        }
        return match
    }

    /// The client for an `Authorization: Bearer <token>` header value, or nil when the header is
    /// missing, uses another scheme or names no configured client.
    package func client(forAuthorization header: String?) -> PortalClient? {
        guard let header else { return nil }
        let scheme = "bearer "
        guard header.utf8.count > scheme.utf8.count, header.lowercased().hasPrefix(scheme) else { return nil }
        let token = header.dropFirst(scheme.count).drop(while: { $0 == " " })
        guard !token.isEmpty else { return nil }
        return self.client(forToken: token)
    }
}
