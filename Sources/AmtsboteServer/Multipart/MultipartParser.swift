import Foundation

/// Splits a complete `multipart/form-data` body (RFC 7578, RFC 2046 §5.1) into parts.
///
/// The body has already been size-limited by the caller; this parser adds limits on the
/// number of parts and the size of each part's header block. Part bodies are copied out
/// byte-for-byte (no charset or transfer decoding), so attachments reach the spool exactly
/// as the portal sent them.
package struct MultipartParser: Sendable {
    /// Boundary from the request's Content-Type (1-70 characters per RFC 2046).
    package let boundary: [UInt8]
    /// Most parts accepted.
    package let maxParts: Int
    /// Longest header block of one part.
    package let maxHeaderBytes: Int

    /// - Throws: `MultipartError.missingBoundary` when the boundary is empty or longer than 70 bytes.
    package init(boundary: String, maxParts: Int, maxHeaderBytes: Int) throws {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count) else {
            throw MultipartError(code: .missingBoundary, message: "the boundary parameter must be 1 to 70 characters")
        }
        self.boundary = bytes
        self.maxParts = maxParts
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Parses the whole body.
    /// - Throws: `MultipartError`.
    package func parse(_ body: some ContiguousBytes) throws -> [MultipartPart] {
        try body.withUnsafeBytes { buffer in
            try self.parse(buffer)
        }
    }

    private func parse(_ body: UnsafeRawBufferPointer) throws -> [MultipartPart] {
        let dashBoundary: [UInt8] = [0x2D, 0x2D] + self.boundary
        let delimiter: [UInt8] = [0x0D, 0x0A] + dashBoundary
        // The first boundary may start the body, otherwise it follows CRLF after a preamble.
        var position: Int
        if Self.matches(body, at: 0, dashBoundary) {
            position = dashBoundary.count
        } else if let found = Self.find(delimiter, in: body, from: 0) {
            position = found + delimiter.count
        } else {
            throw MultipartError(code: .missingDelimiter, message: "the body contains no boundary line")
        }
        var parts: [MultipartPart] = []
        while true {
            // After a boundary: "--" closes the body, otherwise optional padding and CRLF.
            if Self.matches(body, at: position, [0x2D, 0x2D]) { return parts }
            while position < body.count, body[position] == 0x20 || body[position] == 0x09 { position += 1 }
            guard Self.matches(body, at: position, [0x0D, 0x0A]) else {
                throw MultipartError(code: .missingDelimiter, message: "a boundary line is not followed by CRLF", offset: position)
            }
            position += 2
            guard parts.count < self.maxParts else {
                throw MultipartError(code: .tooManyParts, message: "more than \(self.maxParts) parts")
            }
            // An empty header block is just the CRLF that ends it (and then fails the name check).
            let headerEnd: Int
            if Self.matches(body, at: position, [0x0D, 0x0A]) {
                headerEnd = position - 2
            } else if let found = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: position, limit: position + self.maxHeaderBytes + 4) {
                headerEnd = found
            } else {
                throw MultipartError(
                    code: .invalidPartHeaders,
                    message: "a part's headers are not terminated by an empty line within \(self.maxHeaderBytes) bytes",
                    offset: position
                )
            }
            let headers = try self.headers(body, from: position, to: max(position, headerEnd))
            let bodyStart = headerEnd + 4
            guard let bodyEnd = Self.find(delimiter, in: body, from: bodyStart) else {
                throw MultipartError(code: .missingDelimiter, message: "the body ends without a closing boundary", offset: bodyStart)
            }
            parts.append(try self.part(headers: headers, data: Data(body[bodyStart..<bodyEnd]), offset: position))
            position = bodyEnd + delimiter.count
        }
    }

    private func headers(_ body: UnsafeRawBufferPointer, from start: Int, to end: Int) throws -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        let block = Array(body[start..<end])
        for rawLine in block.split(separator: 0x0A, omittingEmptySubsequences: false) {
            var line = rawLine
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { continue }
            if line.first == 0x20 || line.first == 0x09, !headers.isEmpty {
                // Obsolete line folding: continue the previous header's value.
                headers[headers.count - 1].value += " " + String(decoding: line, as: UTF8.self).trimmingASCIISpaces()
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw MultipartError(code: .invalidPartHeaders, message: "a part header line has no colon", offset: start)
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmingASCIISpaces().lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingASCIISpaces()
            headers.append((name, value))
        }
        return headers
    }

    private func part(headers: [(name: String, value: String)], data: Data, offset: Int) throws -> MultipartPart {
        guard let dispositionText = headers.first(where: { $0.name == "content-disposition" })?.value,
            let disposition = HeaderValue(parsing: dispositionText), disposition.value == "form-data",
            let name = disposition.parameters["name"], !name.isEmpty
        else {
            throw MultipartError(
                code: .missingPartName,
                message: "every part needs 'Content-Disposition: form-data; name=\"...\"'",
                offset: offset
            )
        }
        let contentType = headers.first(where: { $0.name == "content-type" })?.value
        return MultipartPart(name: name, filename: disposition.parameters["filename"], contentType: contentType, data: data)
    }

    // MARK: Byte search

    private static func matches(_ body: UnsafeRawBufferPointer, at offset: Int, _ pattern: [UInt8]) -> Bool {
        guard offset >= 0, offset + pattern.count <= body.count else { return false }
        for index in pattern.indices where body[offset + index] != pattern[index] { return false }
        return true
    }

    /// First offset >= `start` where `pattern` begins and ends before `limit`; memchr for the first byte.
    private static func find(_ pattern: [UInt8], in body: UnsafeRawBufferPointer, from start: Int, limit: Int = .max) -> Int? {
        let end = min(body.count, limit)
        guard let base = body.baseAddress, !pattern.isEmpty else { return nil }
        var offset = start
        while offset + pattern.count <= end {
            guard let hit = memchr(base + offset, Int32(pattern[0]), end - pattern.count + 1 - offset) else { return nil }
            let candidate = base.distance(to: UnsafeRawPointer(hit))
            if Self.matches(body, at: candidate, pattern) { return candidate }
            offset = candidate + 1
        }
        return nil
    }
}
