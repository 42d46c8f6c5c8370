/// What `purge` removed (or would remove, on a dry run).
package struct PurgeReport: Sendable, Hashable {
    /// Messages whose bytes left the disk (or would).
    package var messages: Int
    /// Jobs of those messages.
    package var jobs: Int
    /// Bytes of segment space given back (on a dry run: record bytes that would go).
    package var bytesReclaimed: Int64
    /// Segments rewritten or deleted.
    package var segmentsRewritten: Int
    package var dryRun: Bool
}
