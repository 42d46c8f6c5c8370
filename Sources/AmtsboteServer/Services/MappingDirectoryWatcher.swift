import AmtsboteMapping
import Foundation
import Logging
import ServiceLifecycle

/// Polls the mappings directory and reloads the `MappingStore` when anything in it changed.
///
/// A changed file is noticed within one `interval` (default 1 s). A broken edit is logged with
/// `file:line:column` per error and the previous set stays live; the same broken state is
/// reported once, not every poll. Polling file metadata (name, size, mtime, inode) of a few
/// dozen files is cheaper and more portable than inotify, and also sees edits made through
/// editors that replace files by rename.
package final class MappingDirectoryWatcher: Service, Sendable {
    private let store: MappingStore
    private let directory: URL
    private let interval: Duration
    private let logger: Logger
    private let metrics: ServerMetrics

    package init(store: MappingStore, directory: URL, interval: Duration, logger: Logger, metrics: ServerMetrics) {
        self.store = store
        self.directory = directory
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    package func run() async throws {
        let lastSeen = LastSeenSignature(DirectorySignature(directory: self.directory))
        await PeriodicLoop.run(every: self.interval) {
            let signature = DirectorySignature(directory: self.directory)
            guard lastSeen.replace(with: signature) else { return }
            self.reload()
        }
    }

    /// Reloads now; returns the errors if the directory is broken (the old set stays).
    @discardableResult
    package func reload() -> MappingLoadErrors? {
        do {
            let set = try self.store.reload()
            self.metrics.recordMappingReload(outcome: "loaded")
            self.logger.info(
                "Mappings reloaded",
                metadata: [
                    "amtsbote.mappings.count": "\(set.mappingCount)",
                    "amtsbote.mappings.targets": "\(set.targets.sorted().joined(separator: ","))",
                ]
            )
            return nil
        } catch let errors as MappingLoadErrors {
            self.metrics.recordMappingReload(outcome: "refused")
            for error in errors.errors {
                self.logger.error("Mapping reload refused, previous mappings stay active", metadata: ["amtsbote.mapping.error": "\(error.description)"])
            }
            return errors
        } catch {
            self.metrics.recordMappingReload(outcome: "refused")
            self.logger.error("Mapping reload refused, previous mappings stay active", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            return MappingLoadErrors([MappingLoadError(file: self.directory.path, line: 0, column: 0, message: "cannot be read")])
        }
    }
}
