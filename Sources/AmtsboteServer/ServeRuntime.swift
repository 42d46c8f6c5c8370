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
    private let logger: Logger
    private let disk: DiskSpaceMonitor
    private let watcher: MappingDirectoryWatcher
    private let delivery: DeliveryService

    /// Opens the spool (taking its lock) and loads the mappings.
    /// - Throws: `ServerSetupError` (unsafe listen address, spool locked or unreadable, mappings broken).
    package init(configuration: ServerConfiguration, logger: Logger, metrics: ServerMetrics = ServerMetrics()) throws {
        try configuration.checkListenSafety()
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        let spoolURL = URL(fileURLWithPath: configuration.spoolDirectory)
        do {
            self.spool = try Spool.open(
                directory: spoolURL,
                configuration: SpoolConfiguration(maxMessageBytes: configuration.limits.maxBodyBytes),
                events: logger.spoolEventSink()
            )
        } catch let error as SpoolError {
            let hint = error.code == .locked ? " (is another `amtsbote serve` running on this spool?)" : ""
            throw ServerSetupError(code: .spoolUnavailable, message: "cannot open the spool: \(error.description)\(hint)")
        }
        let mappingsURL = URL(fileURLWithPath: configuration.mappingsDirectory)
        do {
            self.mappings = try MappingStore(directory: mappingsURL)
        } catch {
            let spool = self.spool
            Task { try? await spool.close() }
            throw ServerSetupError(code: .mappingsUnavailable, message: "cannot load the mappings in \(mappingsURL.path):\n\(error)")
        }
        do {
            self.delivery = try DeliveryService(spool: self.spool, mappings: self.mappings, targets: configuration.targets, logger: logger)
        } catch {
            let spool = self.spool
            Task { try? await spool.close() }
            throw ServerSetupError(code: .deliveryUnavailable, message: "cannot set up delivery: \(error)")
        }
        self.disk = DiskSpaceMonitor(path: configuration.spoolDirectory, configuration: configuration.disk, logger: logger)
        self.watcher = MappingDirectoryWatcher(
            store: self.mappings,
            directory: mappingsURL,
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
            self.delivery,
        ]
        services += extra
        if self.configuration.admin.enabled {
            services.append(AdminService(routes: AdminRoutes(control: self.spool), path: self.configuration.adminSocketPath, logger: logger))
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
