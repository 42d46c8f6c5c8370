import AmtsboteServer
import AmtsboteSpool
import Foundation

/// The one place where CLI commands get their `QueueControl`.
///
/// Today it opens the spool directly, which takes the spool's lock; when a running server holds
/// the lock this fails with one clear line ("spool DIR is locked by a running process (pid N)",
/// exit 75). A remote implementation (the server's admin socket) plugs in here, so that every
/// `queue` command talks to the server instead.
enum QueueControlFactory {
    /// Opens the spool at `options.path`.
    /// - Parameter create: make the directory if missing (`submit`); read commands refuse a
    ///   missing spool so that a typo in `--spool` does not create an empty one.
    ///
    /// When a running `amtsbote serve` holds the lock and answers on `<spool>/admin.sock`, the
    /// commands talk to it over that socket instead (`RemoteQueueControl`), so their effect is
    /// immediate and only the server writes the log.
    static func open(_ options: SpoolOptions, create: Bool = false) throws -> any QueueControl {
        do {
            return try Spool.open(
                directory: URL(fileURLWithPath: options.path),
                configuration: SpoolConfiguration(createIfMissing: create),
                events: CommandLineEvents.report
            )
        } catch let error as SpoolError where error.code == .locked {
            let socket = RemoteQueueControl.socketPath(spoolDirectory: options.path)
            guard let remote = RemoteQueueControl.ifServing(socketPath: socket) else { throw error }
            return remote
        }
    }

    /// The job changes `queue watch` prints. Today a read-only follower of the spool's log: it
    /// takes no lock, so it works beside a running server and beside other CLI commands. A
    /// remote implementation (`QueueControl.changes()` over the admin socket) can replace it here.
    static func changes(_ options: SpoolOptions) throws -> AsyncStream<JobChange> {
        try SpoolFollower(directory: URL(fileURLWithPath: options.path)).changes()
    }
}
