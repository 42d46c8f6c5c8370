/// The operators' admin listener: a Unix domain socket, never a TCP port, so the portal's
/// network can never reach `hold`, `delete` and friends.
package struct AdminConfiguration: Sendable, Equatable {
    /// Socket path; relative paths are inside the spool directory. Default `admin.sock`.
    package var socket: String
    /// Whether to serve the admin socket at all. Default true.
    package var enabled: Bool

    package init(socket: String = "admin.sock", enabled: Bool = true) {
        self.socket = socket
        self.enabled = enabled
    }
}
