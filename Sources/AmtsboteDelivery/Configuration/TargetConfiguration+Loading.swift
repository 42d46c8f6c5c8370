import Foundation

extension TargetConfiguration {
    /// Turns a `DecodingError` from reading the `targets:` section into one line an operator can act
    /// on: `targets.gewerbeamt.retry.initialDelay: expected a duration such as …`.
    /// The path is the decoder's coding path, so it starts wherever decoding started (`targets.…`
    /// when the whole config file is decoded).
    package static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing required key"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.friendlyName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(Self.friendlyName(type)), found nothing"
        @unknown default:
            return String(describing: error)
        }
    }

    private static func friendlyName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [String: String].Type: "a mapping of strings"
        default: "a value of type \(type)"
        }
    }
}
