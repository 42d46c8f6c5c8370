import AmtsboteSpool
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Serves `AdminRoutes` on a Unix domain socket (default `spool/admin.sock`, mode 0600).
///
/// The socket is bound inside a fresh private directory (mode 0700) and only renamed to its
/// public path after `chmod 0600`, so there is no moment at which another local user could
/// connect. A stale socket left by a killed server is removed first (this process holds the
/// spool's lock, so no other server can be using it); the socket is removed again on exit.
package struct AdminService: Service {
    private let routes: AdminRoutes
    private let path: String
    private let logger: Logger
    private let onListening: @Sendable () -> Void

    /// - Parameter onListening: called once the socket is published at `path` with mode 0600.
    package init(routes: AdminRoutes, path: String, logger: Logger, onListening: @escaping @Sendable () -> Void = {}) {
        self.routes = routes
        self.path = path
        self.logger = logger
        self.onListening = onListening
    }

    package func run() async throws {
        let finalPath = self.path
        let staging = try Self.makeStagingDirectory(near: finalPath)
        let stagingSocket = staging + "/admin.sock"
        try Self.removeStaleSocket(at: finalPath)
        let logger = self.logger
        let onListening = self.onListening
        let application = Application(
            router: self.routes.router(),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: stagingSocket), serverName: "amtsbote-admin"),
            onServerRunning: { _ in
                guard chmod(stagingSocket, 0o600) == 0, rename(stagingSocket, finalPath) == 0 else {
                    logger.error("Cannot publish the admin socket", metadata: ["path": "\(finalPath)", "errno": "\(errno)"])
                    return
                }
                rmdir(staging)
                logger.info("Admin socket listening", metadata: ["path": "\(finalPath)"])
                onListening()
            },
            logger: logger
        )
        defer {
            unlink(finalPath)
            unlink(stagingSocket)
            rmdir(staging)
        }
        try await application.run()
    }

    private static func makeStagingDirectory(near path: String) throws -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let base = directory.isEmpty ? "." : directory
        var template = Array("\(base)/.admin-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard created != nil else {
            throw ServerSetupError(code: .adminSocketUnavailable, message: "cannot create a private directory next to \(path) (errno \(errno))")
        }
        return String(cString: template)
    }

    private static func removeStaleSocket(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw ServerSetupError(code: .adminSocketUnavailable, message: "\(path) exists and is not a socket; refusing to replace it")
        }
        unlink(path)
    }
}
