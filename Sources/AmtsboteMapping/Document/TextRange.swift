/// A slice of ``SourceDocument/bytes``: where a name or text value is stored.
package struct TextRange: Sendable, Equatable {
    package var start: Int32
    package var count: Int32

    package static let empty = TextRange(start: 0, count: 0)
}
