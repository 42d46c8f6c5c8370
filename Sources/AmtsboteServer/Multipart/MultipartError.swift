/// Why a `multipart/form-data` body was refused (answered as 400 `malformed-multipart`).
package struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { self.name }

        /// The Content-Type has no `boundary` parameter, or an invalid one.
        package static let missingBoundary = Code("missingBoundary")
        /// No opening or closing boundary line was found.
        package static let missingDelimiter = Code("missingDelimiter")
        /// A part's header block is malformed or longer than the limit.
        package static let invalidPartHeaders = Code("invalidPartHeaders")
        /// A part lacks `Content-Disposition: form-data; name=...`.
        package static let missingPartName = Code("missingPartName")
        /// More parts than the configured limit.
        package static let tooManyParts = Code("tooManyParts")
    }

    package let code: Code
    /// Short explanation without body content.
    package let message: String
    /// 0-based byte offset in the body where the problem was found, when known.
    package let offset: Int?

    package init(code: Code, message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    package var description: String {
        if let offset { return "\(self.message) (at byte \(offset))" }
        return self.message
    }
}
