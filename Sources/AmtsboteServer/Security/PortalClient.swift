/// A portal (or other submitting system) allowed to use the ingest API.
package struct PortalClient: Sendable, Equatable {
    /// What a client may do. A client without `submit` gets 403 on `POST /v1/submissions`,
    /// one without `status` gets 403 on `GET /v1/submissions/{id}`.
    package enum Scope: String, Sendable, CaseIterable {
        case submit
        case status
    }

    /// Stable name; recorded as the submitting client of each message and logged per request.
    package var name: String
    /// SHA-256 of the client's bearer token (the token itself is never stored).
    package var tokenDigest: TokenDigest
    /// Permitted operations. Default: all.
    package var scopes: Set<Scope>

    package init(name: String, tokenDigest: TokenDigest, scopes: Set<Scope> = Set(Scope.allCases)) {
        self.name = name
        self.tokenDigest = tokenDigest
        self.scopes = scopes
    }
}
