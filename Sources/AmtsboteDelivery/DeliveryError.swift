/// Errors of the delivery module: bad target configuration, unreadable secrets, failed sends.
///
/// `description` is for operators (logs, CLI); `shortDescription` is bounded, for metric labels.
/// Neither ever contains form contents or secrets.
package struct DeliveryError: Error, Sendable, CustomStringConvertible {
    /// Kind of error; compare errors by this.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// A target entry in the config is invalid.
        package static let invalidConfiguration = Code("invalid configuration")
        /// A credential's environment variable or file is missing, unreadable or empty.
        package static let secretUnavailable = Code("secret unavailable")
        /// TLS files (CA, client certificate, key) cannot be loaded.
        package static let tlsUnavailable = Code("TLS files unavailable")
        /// Writing a file target's file failed.
        package static let fileWriteFailed = Code("file write failed")
        /// A job names a target that is not configured.
        package static let unknownTarget = Code("unknown target")
    }

    package let code: Code
    /// Short, content-free detail (a path, a key, an errno text).
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "\(code): \(message)" }
    /// Bounded text for metric labels.
    package var shortDescription: String { code.description }
}

extension DeliveryError: Equatable {
    package static func == (lhs: DeliveryError, rhs: DeliveryError) -> Bool { lhs.code == rhs.code }
}
