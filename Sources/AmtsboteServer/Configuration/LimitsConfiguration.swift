/// Limits on what one request may carry; every input has a size limit.
package struct LimitsConfiguration: Sendable, Equatable {
    /// Largest accepted request body in bytes (XML/JSON or the whole multipart body).
    /// Larger requests get 413 before their body is read. Default 25 MiB.
    package var maxBodyBytes: Int
    /// Most attachment parts in one multipart submission. Default 32.
    package var maxAttachments: Int
    /// Largest header block of one multipart part. Default 16 KiB.
    package var maxPartHeaderBytes: Int
    /// Longest accepted `Idempotency-Key` header, in bytes. Default 255.
    package var maxIdempotencyKeyBytes: Int

    package init(
        maxBodyBytes: Int = 25 << 20,
        maxAttachments: Int = 32,
        maxPartHeaderBytes: Int = 16 << 10,
        maxIdempotencyKeyBytes: Int = 255
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxAttachments = maxAttachments
        self.maxPartHeaderBytes = maxPartHeaderBytes
        self.maxIdempotencyKeyBytes = maxIdempotencyKeyBytes
    }
}
