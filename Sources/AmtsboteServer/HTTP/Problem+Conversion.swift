import Hummingbird
import NIOCore

extension Problem {
    /// Maps any error a handler threw to a problem document. Unknown errors become a bare
    /// `internal-error` without detail, so internals never leak to HTTP clients.
    package init(converting error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let httpError as HTTPError:
            switch httpError.status {
            case .notFound: self = Problem(.notFound, detail: "no such resource")
            case .contentTooLarge: self = Problem(.payloadTooLarge)
            case .unsupportedMediaType: self = Problem(.unsupportedMediaType)
            case .unauthorized: self = Problem(.unauthorized)
            case .forbidden: self = Problem(.forbidden)
            default:
                self = httpError.status.code < 500 ? Problem(.invalidRequest, detail: httpError.status.reasonPhrase) : Problem(.internalError)
            }
        case is NIOTooManyBytesError:
            self = Problem(.payloadTooLarge)
        default:
            self = Problem(.internalError)
        }
    }
}
