import AmtsboteMapping
import AmtsboteSpool
import AsyncHTTPClient
import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle

/// Pushes every job in the spool to its target: one `TargetRunner` per configured target (own
/// workers, queue, backoff, breaker), woken by the spool's change stream.
///
/// Run it in the server's `ServiceGroup`:
/// ```swift
/// let delivery = try DeliveryService(spool: spool, mappings: store, targets: config.targets, logger: logger)
/// let group = ServiceGroup(services: [server, delivery], gracefulShutdownSignals: [.sigterm], logger: logger)
/// ```
/// On graceful shutdown it stops claiming jobs and waits for deliveries in flight (each bounded by
/// its target's timeout). A job claimed but never finished (kill -9, cancellation) is `delivering`
/// only in memory: the spool's recovery queues it again at the next start.
package final class DeliveryService: Service, Sendable {
    private let spool: Spool
    private let mappings: MappingStore
    private let targets: [String: TargetConfiguration]
    private let credentials: [String: HTTPTargetCredentials]
    private let logger: Logger
    private let metricsFactory: (any MetricsFactory)?

    /// Reads every target's secrets and TLS files now, so a missing one fails start-up.
    ///
    /// - Parameters:
    ///   - spool: the open spool (this process holds its lock).
    ///   - mappings: the mapping store; each job is mapped with `mappings.current` when it is sent.
    ///   - targets: the `targets:` section of config/amtsbote.yaml.
    ///   - logger: the caller's logger; messages are constant, ids go in metadata, never contents.
    ///   - metricsFactory: nil = `MetricsSystem.factory` (bootstrapped by `serve`).
    ///   - environment: where `tokenEnv`/`passwordEnv` are looked up.
    /// - Throws: `DeliveryError` `.secretUnavailable`/`.tlsUnavailable`, naming the target.
    package init(
        spool: Spool,
        mappings: MappingStore,
        targets: [String: TargetConfiguration],
        logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.spool = spool
        self.mappings = mappings
        self.targets = targets
        self.logger = logger
        self.metricsFactory = metricsFactory
        var credentials: [String: HTTPTargetCredentials] = [:]
        for (name, target) in targets {
            guard case .http(let http) = target.kind else { continue }
            do {
                credentials[name] = try HTTPTargetCredentials(configuration: http, environment: environment)
            } catch let error as DeliveryError {
                throw DeliveryError(error.code, "target \(name): \(error.message)")
            }
        }
        self.credentials = credentials
    }

    /// Runs all target runners until graceful shutdown (or cancellation).
    package func run() async throws {
        // Enough pooled connections per host for every worker of the busiest target, so a request
        // never waits for a connection another target's worker holds.
        let connections = max(8, targets.values.map(\.concurrency).max() ?? 0)
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections),
                decompression: .disabled
            )
        )
        let runners = makeRunners(client: client)
        warnAboutUnconfiguredTargets()
        logger.info("Delivery started", metadata: ["amtsbote.targets": .stringConvertible(runners.count)])
        let stop = StopFlag()
        let changes = spool.changes()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                // Wake the right dispatcher when its queue gets work (new job, retry, release, deferral).
                group.addTask {
                    for await change in changes {
                        guard let state = change.newState, state == .queued || state == .deferred else { continue }
                        runners[change.target]?.doorbell.ring()
                    }
                }
                await withDiscardingTaskGroup { workers in
                    // Keeps the service running until shutdown even with no targets configured
                    // (returning early would count as a failure and stop `serve`).
                    workers.addTask { try? await gracefulShutdown() }
                    for runner in runners.values {
                        workers.addTask { await runner.run(stop: stop) }
                    }
                }
                // All runners finished: stop listening to the spool.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            stop.set()
            for runner in runners.values { runner.doorbell.ring() }
        }
        try await client.shutdown()
        logger.info("Delivery stopped")
    }

    private func makeRunners(client: HTTPClient) -> [String: TargetRunner] {
        var runners: [String: TargetRunner] = [:]
        for (name, target) in targets {
            let sender: any TargetSender
            switch target.kind {
            case .http(let http):
                guard let credentials = credentials[name] else { continue }
                sender = HTTPTargetSender(target: name, configuration: http, credentials: credentials, client: client)
            case .file(let file):
                sender = FileTargetSender(target: name, configuration: file)
            }
            runners[name] = TargetRunner(
                target: name,
                configuration: target,
                sender: sender,
                spool: spool,
                mappings: mappings,
                logger: logger,
                metrics: DeliveryMetrics(target: name, factory: metricsFactory)
            )
        }
        return runners
    }

    /// Jobs for a target without configuration wait (never dropped) until the config names it.
    private func warnAboutUnconfiguredTargets() {
        for target in spool.targetsWithWork() where targets[target] == nil {
            logger.warning("Jobs wait for a target that is not configured", metadata: ["amtsbote.target": .string(target)])
        }
    }
}
