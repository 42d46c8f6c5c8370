import AmtsboteDelivery
import AmtsboteMapping
import AmtsboteSpool
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Everything `amtsbote serve` runs, assembled from a `ServerConfiguration`: the spool, the
/// mapping store and the services around them, run as one `ServiceGroup`.
///
/// Service order matters for shutdown, which goes in reverse: the portal listener stops
/// first (draining in-flight requests), then the admin socket, the delivery workers, the
/// mapping watcher and disk sampler, and the spool is flushed and closed last.
package final class ServeRuntime: Sendable {
    package let configuration: ServerConfiguration
    package let spool: Spool
    package let mappings: MappingStore
    package let metrics: ServerMetrics
    package let lifecycle = ServerLifecycle()
    /// Where the portal listener is bound, once it is.
    package let portalAddress = ListeningAddress()
    /// Completed once the admin socket is published (never, if it is disabled).
    package let adminReady = ReadinessSignal()
    private let logger: Logger
    private let disk: DiskSpaceMonitor
    private let watcher: MappingDirectoryWatcher
    private let delivery: DeliveryService

    /// Loads the mappings, opens the spool (taking its lock) and prepares delivery.
    /// - Throws: `ServerSetupError` (unsafe listen address, mappings broken, spool locked or
    ///   unreadable, a target's secret missing); the spool is closed again on failure.
    package static func open(configuration: ServerConfiguration, logger: Logger, metrics: ServerMetrics = ServerMetrics()) async throws -> ServeRuntime {
        try configuration.checkListenSafety()
        let mappingsURL = URL(fileURLWithPath: configuration.mappingsDirectory)
        let mappings: MappingStore
        do {
            mappings = try MappingStore(directory: mappingsURL)
        } catch {
            throw ServerSetupError(code: .mappingsUnavailable, message: "cannot load the mappings in \(mappingsURL.path):\n\(error)")
        }
        let spool: Spool
        do {
            spool = try Spool.open(
                directory: URL(fileURLWithPath: configuration.spoolDirectory),
                configuration: SpoolConfiguration(
                    maxMessageBytes: configuration.limits.maxBodyBytes,
                    segmentBytes: configuration.segments.sizeBytes,
                    preparedSegments: configuration.segments.prepared
                ),
                events: logger.spoolEventSink()
            )
        } catch let error as SpoolError {
            let hint = error.code == .locked ? " (is another `amtsbote serve` running on this spool?)" : ""
            throw ServerSetupError(code: .spoolUnavailable, message: "cannot open the spool: \(error.description)\(hint)")
        }
        do {
            let delivery = try DeliveryService(spool: spool, mappings: mappings, targets: configuration.targets, logger: logger)
            return ServeRuntime(configuration: configuration, spool: spool, mappings: mappings, delivery: delivery, logger: logger, metrics: metrics)
        } catch {
            try? await spool.close()
            throw ServerSetupError(code: .deliveryUnavailable, message: "cannot set up delivery: \(error)")
        }
    }

    private init(
        configuration: ServerConfiguration,
        spool: Spool,
        mappings: MappingStore,
        delivery: DeliveryService,
        logger: Logger,
        metrics: ServerMetrics
    ) {
        self.configuration = configuration
        self.spool = spool
        self.mappings = mappings
        self.delivery = delivery
        self.logger = logger
        self.metrics = metrics
        self.disk = DiskSpaceMonitor(path: configuration.spoolDirectory, configuration: configuration.disk, logger: logger)
        self.watcher = MappingDirectoryWatcher(
            store: mappings,
            directory: URL(fileURLWithPath: configuration.mappingsDirectory),
            interval: configuration.mappingsReloadInterval,
            logger: logger,
            metrics: metrics
        )
    }

    /// The portal listener's routes.
    package func portalRoutes() -> PortalRoutes {
        let intake = SubmissionIntake(
            spool: self.spool,
            mappings: self.mappings,
            limits: self.configuration.limits,
            disk: self.disk,
            lifecycle: self.lifecycle,
            metrics: self.metrics,
            retryAfter: self.configuration.disk.retryAfter
        )
        return PortalRoutes(
            spool: self.spool,
            mappings: self.mappings,
            intake: intake,
            limits: self.configuration.limits,
            disk: self.disk,
            lifecycle: self.lifecycle,
            metrics: self.metrics,
            openAPIDocument: OpenAPIDocument.load()
        )
    }

    /// All services in start order: spool, background duties, delivery, `extra`, then the listeners.
    package func services(extra: [any Service] = []) -> [any Service] {
        let router = self.portalRoutes().router(authenticator: ClientAuthenticator(clients: self.configuration.clients))
        let listen = self.configuration.listen
        let logger = self.logger
        let address = self.portalAddress
        let portal = PortalService(router: router, listen: listen, lifecycle: self.lifecycle, logger: logger) { bound in
            address.set(bound)
            logger.info("Portal API listening", metadata: ["address": "\(bound)"])
        }
        var services: [any Service] = [
            SpoolService(spool: self.spool, retention: self.configuration.retention, logger: logger),
            self.disk,
            self.watcher,
        ]
        // DeliveryService returns at once when no target is configured, which a ServiceGroup
        // takes as a failure that stops everything; without targets jobs simply wait.
        if self.configuration.targets.isEmpty {
            logger.warning("No delivery targets configured; accepted jobs wait in the spool")
        } else {
            services.append(self.delivery)
        }
        services += extra
        if self.configuration.admin.enabled {
            services.append(AdminService(
                    routes: AdminRoutes(control: self.spool),
                    path: self.configuration.adminSocketPath,
                    addressFile: "\(self.configuration.spoolDirectory)/\(RemoteQueueControl.addressFileName)",
                    logger: logger,
                    onListening: { [adminReady] in adminReady.signal() }
                ))
        }
        services.append(portal)
        return services
    }

    /// Runs everything until a signal (or `triggerGracefulShutdown` on the returned group's owner).
    package func serviceGroup(extra: [any Service] = [], gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: self.services(extra: extra).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: self.logger
        )
        configuration.maximumGracefulShutdownDuration = self.configuration.shutdownGracePeriod
        configuration.maximumCancellationDuration = Duration.seconds(1)
        return ServiceGroup(configuration: configuration)
    }
}
