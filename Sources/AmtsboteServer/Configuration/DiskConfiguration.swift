/// The free-disk floor: below it the server refuses new submissions (503) instead of
/// filling the disk and risking the spool's ability to record delivery state.
package struct DiskConfiguration: Sendable, Equatable {
    /// Minimum free bytes on the spool's file system. Default 256 MiB.
    package var minimumFreeBytes: Int
    /// How often free space is sampled (the accept path reads the last sample). Default 1 s.
    package var checkInterval: Duration
    /// `Retry-After` sent with 503 answers. Default 30 s.
    package var retryAfter: Duration

    package init(minimumFreeBytes: Int = 256 << 20, checkInterval: Duration = .seconds(1), retryAfter: Duration = .seconds(30)) {
        self.minimumFreeBytes = minimumFreeBytes
        self.checkInterval = checkInterval
        self.retryAfter = retryAfter
    }
}
