import AmtsboteSpool
import ArgumentParser
import Foundation

/// The CLI's exit codes (sysexits.h values), documented in README.md "Operator CLI".
enum ExitCodes {
    /// Something else failed.
    static let failure: Int32 = 1
    /// Bad arguments (ArgumentParser uses the same code for its own validation errors).
    static let usage: Int32 = 64
    /// The input is unusable: message too large, idempotency key already used.
    static let dataError: Int32 = 65
    /// Unknown message id, missing input file or missing spool directory.
    static let noInput: Int32 = 66
    /// Reading or writing the spool failed (disk full, I/O error, corrupt record).
    static let ioError: Int32 = 74
    /// The spool is locked by a running process; try again later or talk to the server.
    static let locked: Int32 = 75

    static func code(for error: SpoolError) -> Int32 {
        switch error.code {
        case .locked: locked
        case .unknownID, .noSpool: noInput
        case .messageTooLarge, .duplicateKey: dataError
        case .invalidArgument: usage
        case .diskFull, .writeFailed, .readFailed, .corrupt: ioError
        default: failure
        }
    }
}

/// Runs a command body; a `SpoolError` becomes one line on stderr and its exit code.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as SpoolError {
        fail(error.description, code: ExitCodes.code(for: error))
    } catch let error as CommandFailure {
        fail(error.message, code: error.code)
    }
}

/// Prints `error: message` on stderr and exits with `code`.
func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(code)
}

/// A CLI failure with its own exit code (e.g. a missing input file).
struct CommandFailure: Error {
    var message: String
    var code: Int32
}
