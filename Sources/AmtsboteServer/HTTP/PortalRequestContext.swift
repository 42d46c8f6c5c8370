import Hummingbird
import NIOCore

/// Request context of the portal listener: Hummingbird's core storage plus the client that
/// the bearer token identified (if any).
///
/// Identity is resolved once by `ClientIdentityMiddleware`, before the request log middleware,
/// so that every log line can name the client; handlers enforce it with `requireClient(_:)`.
package struct PortalRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The client whose token was presented, nil if none or unknown.
    package var client: PortalClient?
    /// Peer address, for the request log.
    package let peer: String

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.client = nil
        self.peer = source.channel.remoteAddress?.ipAddress ?? source.channel.remoteAddress?.pathname ?? "-"
    }

    /// The authenticated client, if it has `scope`.
    /// - Throws: `Problem` 401 without a valid token, 403 without the scope.
    package func requireClient(_ scope: PortalClient.Scope) throws -> PortalClient {
        guard let client = self.client else {
            throw Problem(.unauthorized, detail: "send 'Authorization: Bearer <token>' with a token configured for this server")
        }
        guard client.scopes.contains(scope) else {
            throw Problem(.forbidden, detail: "client '\(client.name)' lacks the '\(scope.rawValue)' scope")
        }
        return client
    }
}
