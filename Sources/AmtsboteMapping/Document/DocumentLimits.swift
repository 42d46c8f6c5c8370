/// Upper bounds applied while a submission is parsed, so a hostile or broken document costs a bounded
/// amount of memory and time.
///
/// The defaults are generous for real form submissions (XÖV messages with embedded attachments are a
/// few MiB at most) and far below what would hurt the server.
package struct DocumentLimits: Sendable {
    /// Largest accepted document in bytes.
    package var maxBytes: Int
    /// Deepest accepted nesting of elements / objects and arrays.
    package var maxDepth: Int
    /// Most attributes accepted on one XML element.
    package var maxAttributesPerElement: Int
    /// Most nodes (elements, members, items) in one document.
    package var maxNodes: Int

    /// Creates limits; every parameter has a default suitable for portal submissions.
    /// - Parameters:
    ///   - maxBytes: largest document (default 16 MiB).
    ///   - maxDepth: deepest nesting (default 64; XÖV messages stay below 20).
    ///   - maxAttributesPerElement: attributes per element (default 64).
    ///   - maxNodes: nodes per document (default 1,000,000).
    package init(
        maxBytes: Int = 16 * 1024 * 1024,
        maxDepth: Int = 64,
        maxAttributesPerElement: Int = 64,
        maxNodes: Int = 1_000_000
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAttributesPerElement = maxAttributesPerElement
        self.maxNodes = maxNodes
    }
}
