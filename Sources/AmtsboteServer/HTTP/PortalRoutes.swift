import AmtsboteMapping
import AmtsboteSpool
import Foundation
import Hummingbird

/// The portal listener's routes: the ingest API plus health, readiness, metrics and the
/// OpenAPI document. Admin operations are deliberately absent (they live on the admin socket).
package struct PortalRoutes: Sendable {
    let spool: Spool
    let mappings: MappingStore
    let intake: SubmissionIntake
    let decoder: SubmissionDecoder
    let limits: LimitsConfiguration
    let disk: DiskSpaceMonitor
    let lifecycle: ServerLifecycle
    let metrics: ServerMetrics
    let openAPIDocument: Data?

    package init(
        spool: Spool,
        mappings: MappingStore,
        intake: SubmissionIntake,
        limits: LimitsConfiguration,
        disk: DiskSpaceMonitor,
        lifecycle: ServerLifecycle,
        metrics: ServerMetrics,
        openAPIDocument: Data?
    ) {
        self.spool = spool
        self.mappings = mappings
        self.intake = intake
        self.decoder = SubmissionDecoder(limits: limits)
        self.limits = limits
        self.disk = disk
        self.lifecycle = lifecycle
        self.metrics = metrics
        self.openAPIDocument = openAPIDocument
    }

    /// The router with identity resolution and request logging in front of every route.
    package func router(authenticator: ClientAuthenticator) -> Router<PortalRequestContext> {
        let router = Router(context: PortalRequestContext.self)
        router.add(middleware: ClientIdentityMiddleware(authenticator: authenticator))
        router.add(middleware: RequestLogMiddleware<PortalRequestContext>(clientName: { $0.client?.name }, peer: { $0.peer }))
        router.post("/v1/submissions") { request, context in try await self.submit(request, context: context) }
        router.get("/v1/submissions/{id}") { request, context in try self.status(request, context: context) }
        router.get("/healthz") { _, _ in self.health() }
        router.get("/readyz") { _, _ in self.readiness() }
        router.get("/metrics") { _, _ in self.renderMetrics() }
        router.get("/v1/openapi.yaml") { _, _ in try self.openAPI() }
        return router
    }
}
