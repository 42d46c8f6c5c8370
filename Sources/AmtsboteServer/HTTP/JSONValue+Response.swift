import Hummingbird

extension JSONValue {
    /// A response with this value as `application/json` body.
    package func response(status: HTTPResponse.Status, headers extra: HTTPFields = [:]) -> Response {
        let body = self.jsonBytes
        var headers: HTTPFields = [.contentType: "application/json", .contentLength: String(body.count)]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
