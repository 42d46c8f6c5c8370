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
///
/// Once published, its absolute path is written to `<spool>/admin.address`, where the CLI looks
/// first: `admin.socket` may point outside the spool directory.
package struct AdminService: Service {
    private let routes: AdminRoutes
    private let path: String
    private let addressFile: String?
    private let logger: Logger
    private let onListening: @Sendable () -> Void

    /// - Parameters:
    ///   - addressFile: where to write the socket's absolute path for the CLI (nil: nowhere).
    ///   - onListening: called once the socket is published at `path` with mode 0600.
    package init(
        routes: AdminRoutes,
        path: String,
        addressFile: String? = nil,
        logger: Logger,
        onListening: @escaping @Sendable () -> Void = {}
    ) {
        self.routes = routes
        self.path = path
        self.addressFile = addressFile
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
        let addressFile = self.addressFile
        let absolutePath = finalPath.hasPrefix("/") ? finalPath : FileManager.default.currentDirectoryPath + "/" + finalPath
        let application = Application(
            router: self.routes.router(),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: stagingSocket), serverName: "amtsbote-admin"),
            onServerRunning: { _ in
                guard chmod(stagingSocket, 0o600) == 0, rename(stagingSocket, finalPath) == 0 else {
                    logger.error("Cannot publish the admin socket", metadata: ["path": "\(finalPath)", "errno": "\(errno)"])
                    return
                }
                rmdir(staging)
                if let addressFile, !Self.writeAddress(absolutePath, to: addressFile) {
                    logger.warning("Cannot write the admin socket's address file", metadata: ["path": "\(addressFile)", "errno": "\(errno)"])
                }
                logger.info("Admin socket listening", metadata: ["path": "\(finalPath)"])
                onListening()
            },
            logger: logger
        )
        defer {
            if let addressFile { unlink(addressFile) }
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
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `socketPath` to `file` through a temporary name, so a reader never sees half a path.
    private static func writeAddress(_ socketPath: String, to file: String) -> Bool {
        let temporary = file + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data((socketPath + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            return false
        }
        return rename(temporary, file) == 0
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
