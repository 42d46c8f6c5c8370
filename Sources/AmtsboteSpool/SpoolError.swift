import Foundation

/// Every error the spool throws. Compare on `code`; `description` is one line for operators.
package struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure; a struct so that kinds can be added without breaking callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Another process holds the spool's lock (see `pid`).
        package static let locked = Code("locked")
        /// Payload plus attachments exceed `SpoolConfiguration.maxMessageBytes`.
        package static let messageTooLarge = Code("message-too-large")
        /// No space left on the spool's disk; nothing was acknowledged.
        package static let diskFull = Code("disk-full")
        /// A write or fdatasync failed; nothing was acknowledged.
        package static let writeFailed = Code("write-failed")
        /// A read failed.
        package static let readFailed = Code("read-failed")
        /// No message with this id (or it was purged).
        package static let unknownID = Code("unknown-id")
        /// Bytes on disk failed their CRC or could not be decoded.
        package static let corrupt = Code("corrupt")
        /// A caller passed something unusable (empty target list, bad name, ...).
        package static let invalidArgument = Code("invalid-argument")
        /// The spool was closed.
        package static let closed = Code("closed")
        /// The spool directory does not exist and creating it was not asked for.
        package static let noSpool = Code("no-spool")
        /// `accept` got a (client, idempotency key) that is stored or being stored right now
        /// (`existingID` says which message, once known): look it up again instead of storing twice.
        package static let duplicateKey = Code("duplicate-key")

        package var description: String { name }
    }

    package var code: Code
    /// Details for operators: never payload bytes.
    package var message: String
    /// The process holding the lock, for `.locked`.
    package var pid: Int32?
    /// The errno behind an I/O failure, if any.
    package var errno: Int32?
    /// For `.duplicateKey`: the message already stored under the key (nil while it is still
    /// being written by a concurrent `accept`).
    package var existingID: MessageID?

    package init(_ code: Code, _ message: String, pid: Int32? = nil, errno: Int32? = nil, existingID: MessageID? = nil) {
        self.code = code
        self.message = message
        self.pid = pid
        self.errno = errno
        self.existingID = existingID
    }

    package var description: String { message }

    /// A bounded label for metrics: the code only.
    package var shortDescription: String { code.description }

    /// Builds the error for a failed system call, telling disk-full apart.
    static func io(_ operation: String, path: String, errno value: Int32, reading: Bool = false) -> SpoolError {
        let reason = String(cString: strerror(value))
        if value == ENOSPC || value == EDQUOT {
            return SpoolError(.diskFull, "\(operation) \(path): \(reason)", errno: value)
        }
        return SpoolError(reading ? .readFailed : .writeFailed, "\(operation) \(path): \(reason)", errno: value)
    }
}
