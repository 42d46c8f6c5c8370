import Foundation

/// Builds `multipart/form-data` request bodies for tests.
struct MultipartBody {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var data: Data
    }

    var parts: [Part]
    var boundary = "amtsbote-test-\(UUID().uuidString)"

    var contentType: String { "multipart/form-data; boundary=\(self.boundary)" }

    var data: Data {
        var body = Data()
        for part in self.parts {
            body.append(Data("--\(self.boundary)\r\n".utf8))
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
            body.append(Data("\(disposition)\r\n".utf8))
            if let contentType = part.contentType { body.append(Data("Content-Type: \(contentType)\r\n".utf8)) }
            body.append(Data("\r\n".utf8))
            body.append(part.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(self.boundary)--\r\n".utf8))
        return body
    }
}
