import Foundation

/// Where a credential comes from: an environment variable or a file, never the config itself,
/// so config/amtsbote.yaml can be versioned and shown to anyone without leaking a token.
package enum SecretSource: Sendable, Equatable {
    /// The value of this environment variable.
    case environment(String)
    /// The contents of this file, without a trailing newline (as written by `echo` or a secret mount).
    case file(String)

    /// Reads the secret. Called once when the sender is built, so a missing secret stops start-up
    /// with a clear error instead of failing every delivery.
    ///
    /// - Parameter environment: the process environment (passed in for tests).
    /// - Throws: `DeliveryError` with code `.secretUnavailable`; the message names the variable or
    ///   file, never the value.
    package func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let value: String
        switch self {
        case .environment(let name):
            guard let found = environment[name], !found.isEmpty else {
                throw DeliveryError(.secretUnavailable, "environment variable \(name) is not set or empty")
            }
            value = found
        case .file(let path):
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw DeliveryError(.secretUnavailable, "cannot read secret file \(path)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw DeliveryError(.secretUnavailable, "secret file \(path) is not UTF-8")
            }
            value = String(text.trimmingSuffix(while: { $0 == "\n" || $0 == "\r" }))
            guard !value.isEmpty else { throw DeliveryError(.secretUnavailable, "secret file \(path) is empty") }
        }
        guard !value.utf8.contains(where: { $0 == 10 || $0 == 13 }) else {
            throw DeliveryError(.secretUnavailable, "secret \(self.label) contains a line break")
        }
        return value
    }

    /// Names the source (not the value) for error messages.
    package var label: String {
        switch self {
        case .environment(let name): "env \(name)"
        case .file(let path): "file \(path)"
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> SubSequence {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
