import Logging
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Samples the free space of the spool's file system every `checkInterval`, so the accept
/// path and `/readyz` read one atomic instead of calling `statvfs` per request.
///
/// Below `minimumFreeBytes` the server answers submissions with 503 + `Retry-After` rather
/// than filling the disk (the spool still needs room to record delivery state).
package final class DiskSpaceMonitor: Service, Sendable {
    private let path: String
    private let configuration: DiskConfiguration
    private let logger: Logger
    /// Last sampled free bytes; -1 until the first successful sample.
    private let freeBytes = Atomic<Int>(-1)

    /// Takes a first sample immediately, so the answer is right before `run()` starts.
    package init(path: String, configuration: DiskConfiguration, logger: Logger) {
        self.path = path
        self.configuration = configuration
        self.logger = logger
        self.sample()
    }

    /// Free bytes available to this (unprivileged) process at the last sample, nil if unknown.
    package var availableBytes: Int? {
        let value = self.freeBytes.load(ordering: .relaxed)
        return value < 0 ? nil : value
    }

    /// True when the last sample was below the floor. Unknown counts as not below: a failing
    /// `statvfs` is logged, and the spool's own write errors still protect the data.
    package var isBelowFloor: Bool {
        guard let available = self.availableBytes else { return false }
        return available < self.configuration.minimumFreeBytes
    }

    package func run() async throws {
        await PeriodicLoop.run(every: self.configuration.checkInterval) {
            let wasBelow = self.isBelowFloor
            self.sample()
            let isBelow = self.isBelowFloor
            if isBelow != wasBelow {
                let metadata: Logger.Metadata = [
                    "amtsbote.disk.free": "\(self.availableBytes ?? -1)",
                    "amtsbote.disk.floor": "\(self.configuration.minimumFreeBytes)",
                ]
                if isBelow {
                    self.logger.warning("Free disk space below floor, refusing submissions", metadata: metadata)
                } else {
                    self.logger.info("Free disk space above floor again, accepting submissions", metadata: metadata)
                }
            }
        }
    }

    private func sample() {
        var stats = statvfs()
        guard statvfs(self.path, &stats) == 0 else {
            self.logger.warning("Cannot read free disk space", metadata: ["errno": "\(errno)", "path": "\(self.path)"])
            return
        }
        let (available, overflow) = Int(stats.f_bavail).multipliedReportingOverflow(by: Int(stats.f_frsize))
        self.freeBytes.store(overflow ? Int.max : available, ordering: .relaxed)
    }
}
