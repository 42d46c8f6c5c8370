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
    /// Copies of unreadable log bytes in `corrupt/` past the retention, removed (or would be).
    package var corruptCopiesRemoved: Int
    package var dryRun: Bool

    /// Public to the package so that the admin socket's client can rebuild the value it received.
    package init(
        messages: Int,
        jobs: Int,
        bytesReclaimed: Int64,
        segmentsRewritten: Int,
        corruptCopiesRemoved: Int = 0,
        dryRun: Bool
    ) {
        self.messages = messages
        self.jobs = jobs
        self.bytesReclaimed = bytesReclaimed
        self.segmentsRewritten = segmentsRewritten
        self.corruptCopiesRemoved = corruptCopiesRemoved
        self.dryRun = dryRun
    }
}
