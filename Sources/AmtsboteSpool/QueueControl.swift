import Foundation

/// What the operator CLI (`amtsbote submit`, `queue …`, `purge`) needs from a spool.
///
/// `Spool` implements it directly (the CLI opens the spool when no server runs); a running
/// server, which holds the spool's lock, can implement it over its admin socket, so that an
/// operator's `hold` acts at once and only one process ever writes the log.
package protocol QueueControl: Sendable {
    /// Stores a submission (operators and tests; the portal path is the HTTP ingest).
    func submit(_ message: NewMessage) async throws -> Receipt
    /// Targets × states with counts and the oldest age.
    func summary(now: Date) async throws -> QueueSummary
    /// Jobs filtered by target and/or state, oldest first.
    func jobs(target: String?, state: JobState?) async throws -> [JobSnapshot]
    /// Envelope and jobs of one message; nil if unknown.
    func message(_ id: MessageID) async throws -> MessageSnapshot?
    /// The original bytes of a message. Throws `.unknownID` if unknown.
    func payload(_ id: MessageID) async throws -> MessagePayload
    /// Holds queued/deferred jobs; returns how many changed.
    func hold(_ selection: JobSelection) async throws -> Int
    /// Releases held jobs to the state they were held from (due time and backoff step kept: a
    /// pause ends); returns how many changed.
    func release(_ selection: JobSelection) async throws -> Int
    /// Queues held, deferred and dead jobs again, due now, with the backoff step back to the first
    /// (a fresh retry cycle; the history keeps every attempt); returns how many changed.
    func retry(_ selection: JobSelection) async throws -> Int
    /// Deletes jobs (any state); returns how many.
    func delete(_ selection: JobSelection) async throws -> Int
    /// Every job state change from now on (bounded buffer).
    func changes() async throws -> AsyncStream<JobChange>
    /// Removes finished messages older than `olderThan` from the disk, with audit lines.
    func purge(olderThan: Duration, dryRun: Bool) async throws -> PurgeReport
    /// Releases the connection or the spool.
    func close() async throws
}

extension Spool: QueueControl {
    package func submit(_ message: NewMessage) async throws -> Receipt {
        try await accept(message)
    }

    package func purge(olderThan age: Duration, dryRun: Bool) async throws -> PurgeReport {
        try await purge(olderThan: age, dryRun: dryRun, now: Date())
    }
}
