import AmtsboteMapping

extension Problem {
    /// The answer to a document the mapping module could not read: 400 with line and column
    /// for syntax errors, 413 for an oversized document, 415 for a content type it cannot read.
    package init(documentError error: DocumentError, maxBytes: Int) {
        switch error.code {
        case .tooLarge:
            self.init(.payloadTooLarge, detail: error.reason, extensions: ["maxBytes": .int(maxBytes)])
        case .unsupportedContentType:
            self.init(.unsupportedMediaType, detail: error.reason)
        default:
            self.init(
                .malformedDocument,
                detail: error.description,
                line: error.line > 0 ? error.line : nil,
                column: error.column > 0 ? error.column : nil,
                extensions: ["reason": .string(error.code.description)]
            )
        }
    }
}
