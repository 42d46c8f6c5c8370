/// How long citizens' data stays on disk once a message is finished (GDPR).
package struct RetentionConfiguration: Sendable, Equatable {
    /// Finished messages (all jobs delivered or deleted) older than this are purged. Default 30 days.
    package var finishedMessages: Duration
    /// How often the purge runs while the server is up. Default 1 hour.
    package var purgeInterval: Duration

    package init(finishedMessages: Duration = .seconds(30 * 86_400), purgeInterval: Duration = .seconds(3600)) {
        self.finishedMessages = finishedMessages
        self.purgeInterval = purgeInterval
    }
}
