import AmtsboteDelivery

/// Everything `amtsbote serve` needs to know, with a working default for every field.
///
/// The struct never reads files or the environment; `ServerConfiguration+ConfigFile.swift`
/// fills it from `config/amtsbote.yaml`. Relative directories are resolved against the
/// working directory of the process, so `swift run amtsbote serve` in a fresh clone uses
/// `./spool` and `./mappings`.
package struct ServerConfiguration: Sendable {
    /// Where the portal's HTTP listener binds. Defaults to 127.0.0.1:8080.
    package var listen: ListenConfiguration
    /// The spool directory (segments, lock, admin socket). Default `spool`.
    package var spoolDirectory: String
    /// The mappings directory, watched for changes. Default `mappings`.
    package var mappingsDirectory: String
    /// The spool's segment size and spares. Default 64 MiB, 2 spares.
    package var segments: SegmentsConfiguration
    /// Size and count limits for incoming requests.
    package var limits: LimitsConfiguration
    /// Free-disk floor below which submissions are refused with 503.
    package var disk: DiskConfiguration
    /// How long finished messages are kept before their content is purged.
    package var retention: RetentionConfiguration
    /// The portal clients allowed to submit, each with the SHA-256 of its token.
    package var clients: [PortalClient]
    /// Log output format and level.
    package var log: LogConfiguration
    /// The operators' admin socket.
    package var admin: AdminConfiguration
    /// Delivery targets by name (the `targets:` section, decoded by the delivery module).
    /// Default none: jobs wait in the spool until their target is configured.
    package var targets: [String: TargetConfiguration]
    /// How often the mappings directory is checked for changes. Default 1 s.
    package var mappingsReloadInterval: Duration
    /// How long a graceful shutdown may take before in-flight work is cancelled. Default 8 s,
    /// so that together with closing the spool the process exits within 10 s of SIGTERM.
    package var shutdownGracePeriod: Duration

    /// - Parameters:
    ///   - listen: portal listener address (default 127.0.0.1:8080)
    ///   - spoolDirectory: spool directory (default `spool`)
    ///   - mappingsDirectory: mappings directory (default `mappings`)
    ///   - segments: spool segment size and spares (default 64 MiB, 2)
    ///   - limits: request limits (default 25 MiB bodies)
    ///   - disk: disk-space floor (default 256 MiB free)
    ///   - retention: retention of finished messages (default 30 days)
    ///   - clients: portal clients (default none: every submission is refused with 401)
    ///   - log: log format and level (default text, info)
    ///   - admin: admin socket (default `admin.sock` inside the spool directory)
    ///   - targets: delivery targets (default none)
    ///   - mappingsReloadInterval: mapping directory poll interval (default 1 s)
    ///   - shutdownGracePeriod: graceful shutdown budget (default 8 s)
    package init(
        listen: ListenConfiguration = .init(),
        spoolDirectory: String = "spool",
        mappingsDirectory: String = "mappings",
        segments: SegmentsConfiguration = .init(),
        limits: LimitsConfiguration = .init(),
        disk: DiskConfiguration = .init(),
        retention: RetentionConfiguration = .init(),
        clients: [PortalClient] = [],
        log: LogConfiguration = .init(),
        admin: AdminConfiguration = .init(),
        targets: [String: TargetConfiguration] = [:],
        mappingsReloadInterval: Duration = .seconds(1),
        shutdownGracePeriod: Duration = .seconds(8)
    ) {
        self.listen = listen
        self.spoolDirectory = spoolDirectory
        self.mappingsDirectory = mappingsDirectory
        self.segments = segments
        self.limits = limits
        self.disk = disk
        self.retention = retention
        self.clients = clients
        self.log = log
        self.admin = admin
        self.targets = targets
        self.mappingsReloadInterval = mappingsReloadInterval
        self.shutdownGracePeriod = shutdownGracePeriod
    }

    /// The admin socket's path: `admin.socket` if absolute, else inside the spool directory.
    package var adminSocketPath: String {
        self.admin.socket.hasPrefix("/") ? self.admin.socket : "\(self.spoolDirectory)/\(self.admin.socket)"
    }
}
