import AmtsboteSpool
import Logging
import ServiceLifecycle

/// Owns the open spool for the lifetime of `serve`: purges finished messages past retention
/// every `purgeInterval`, and closes the spool (flush, release the lock) once graceful
/// shutdown reaches it — last, after the listeners and workers that write to it have stopped.
package final class SpoolService: Service, Sendable {
    private let spool: Spool
    private let retention: RetentionConfiguration
    private let logger: Logger

    package init(spool: Spool, retention: RetentionConfiguration, logger: Logger) {
        self.spool = spool
        self.retention = retention
        self.logger = logger
    }

    package func run() async throws {
        await PeriodicLoop.run(every: self.retention.purgeInterval) {
            await self.purge()
        }
        try await self.spool.close()
        self.logger.info("Spool closed")
    }

    /// Removes finished messages older than the retention; logs the counts (never contents).
    package func purge() async {
        do {
            let report = try await self.spool.purge(olderThan: self.retention.finishedMessages, dryRun: false)
            if report.corruptCopiesRemoved > 0 {
                self.logger.info("Removed corrupt copies past retention", metadata: ["amtsbote.purge.corrupt_copies": "\(report.corruptCopiesRemoved)"])
            }
            guard report.messages > 0 else { return }
            // The old index's many small blocks (one attempt list per job) are free now, between
            // the new index's blocks inside the arenas, where `free` cannot trim them: give their
            // pages back (the large transient copies are mmapped, see AllocatorTuning).
            let clock = ContinuousClock()
            let trimStart = clock.now
            let released = AllocatorTuning.releaseFreeMemory()
            let trimDuration = clock.now - trimStart
            self.logger.info(
                "Purged finished messages past retention",
                metadata: [
                    "amtsbote.purge.messages": "\(report.messages)",
                    "amtsbote.purge.jobs": "\(report.jobs)",
                    "amtsbote.purge.bytes": "\(report.bytesReclaimed)",
                    "amtsbote.malloc_trim.released": "\(released)",
                    "amtsbote.malloc_trim.duration": "\(trimDuration)",
                ]
            )
        } catch {
            self.logger.error("Purge failed", metadata: ["error": "\(error)"])
        }
    }
}
