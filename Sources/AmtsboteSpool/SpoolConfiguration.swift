import Foundation

/// Tunables of a spool; every field has a default that suits production.
package struct SpoolConfiguration: Sendable {
    /// Largest payload plus attachments accepted (default 25 MiB).
    package var maxMessageBytes: Int
    /// Size at which the active segment is sealed and a new one started (default 64 MiB).
    /// A record larger than this gets a segment of its own.
    package var segmentBytes: Int
    /// Create the directory if it does not exist (the CLI's read commands say no, so a typo
    /// in `--spool` is an error rather than a new empty spool).
    package var createIfMissing: Bool
    /// Most changes buffered per `changes()` subscriber before the oldest are dropped.
    package var changeBufferSize: Int
    /// Stored attempt errors are cut to this many UTF-8 bytes.
    package var maxErrorBytes: Int
    /// Zero-filled files kept ready to become the next segments (default 2; 0 turns it off).
    /// Flushes into written blocks skip the file system's journal (see `SegmentPreparer`);
    /// each spare occupies `segmentBytes` of disk. A spool that never fills an eighth of a
    /// segment prepares none.
    package var preparedSegments: Int

    package init(
        maxMessageBytes: Int = 25 * 1024 * 1024,
        segmentBytes: Int = 64 * 1024 * 1024,
        createIfMissing: Bool = true,
        changeBufferSize: Int = 10_000,
        maxErrorBytes: Int = 500,
        preparedSegments: Int = 2
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.segmentBytes = segmentBytes
        self.createIfMissing = createIfMissing
        self.changeBufferSize = changeBufferSize
        self.maxErrorBytes = maxErrorBytes
        self.preparedSegments = preparedSegments
    }
}
