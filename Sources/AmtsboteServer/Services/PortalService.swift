import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The portal's HTTP listener as a service: on graceful shutdown it first marks the server
/// as draining (late requests on open connections get 503 `shutting-down`), then Hummingbird
/// stops accepting connections and lets in-flight requests finish.
package struct PortalService: Service {
    private let application: Application<RouterResponder<PortalRequestContext>>
    private let lifecycle: ServerLifecycle

    package init(
        router: Router<PortalRequestContext>,
        listen: ListenConfiguration,
        lifecycle: ServerLifecycle,
        logger: Logger,
        onListening: @escaping @Sendable (SocketAddress) async -> Void
    ) {
        self.application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: "amtsbote", backlog: 1024),
            onServerRunning: { channel in
                if let address = channel.localAddress { await onListening(address) }
            },
            logger: logger
        )
        self.lifecycle = lifecycle
    }

    package func run() async throws {
        try await withGracefulShutdownHandler {
            try await self.application.run()
        } onGracefulShutdown: {
            self.lifecycle.beginShutdown()
        }
    }
}
