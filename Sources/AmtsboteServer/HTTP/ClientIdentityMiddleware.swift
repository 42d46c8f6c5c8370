import Hummingbird

/// Resolves the `Authorization: Bearer` token to a configured client and stores it in the
/// context. Never rejects: open endpoints (`/healthz`, `/metrics`) ignore identity, and the
/// protected handlers decide between 401 and 403 themselves.
package struct ClientIdentityMiddleware: RouterMiddleware {
    package typealias Context = PortalRequestContext

    private let authenticator: ClientAuthenticator

    package init(authenticator: ClientAuthenticator) {
        self.authenticator = authenticator
    }

    package func handle(
        _ request: Request,
        context: PortalRequestContext,
        next: (Request, PortalRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.client = self.authenticator.client(forAuthorization: request.headers[.authorization])
        return try await next(request, context)
    }
}
