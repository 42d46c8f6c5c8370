/// Why `amtsbote serve` could not start (before any request was served).
package struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    /// Kind of failure; compare on this.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { self.name }

        /// The listen address is reachable from a network while the public local-only token is configured.
        package static let unsafeListenAddress = Code("unsafeListenAddress")
        /// The spool could not be opened (locked by another process, unreadable, ...).
        package static let spoolUnavailable = Code("spoolUnavailable")
        /// The mappings directory could not be loaded at start-up.
        package static let mappingsUnavailable = Code("mappingsUnavailable")
        /// A delivery target's secret or TLS files are unavailable.
        package static let deliveryUnavailable = Code("deliveryUnavailable")
        /// The admin socket could not be created.
        package static let adminSocketUnavailable = Code("adminSocketUnavailable")
    }

    package let code: Code
    /// Operator-facing explanation (no secrets, no form contents).
    package let message: String

    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { self.message }
}
