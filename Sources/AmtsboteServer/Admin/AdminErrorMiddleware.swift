import AmtsboteSpool
import Foundation
import Hummingbird

/// Turns `SpoolError`s into `{code, message, pid, errno}` documents with a fitting status.
struct AdminErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as SpoolError {
            let status: HTTPResponse.Status =
                switch error.code {
                case .unknownID: .notFound
                case .invalidArgument, .messageTooLarge: .badRequest
                case .closed: .serviceUnavailable
                default: .internalServerError
                }
            let data = try JSONEncoder().encode(AdminWire.ErrorDTO(error))
            return Response(
                status: status,
                headers: [.contentType: "application/json", .contentLength: String(data.count)],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
    }
}
