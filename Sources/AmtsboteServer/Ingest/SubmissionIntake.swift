import AmtsboteMapping
import AmtsboteSpool
import Crypto
import Foundation
import Logging

/// The accept path of `POST /v1/submissions`, independent of HTTP framing: checks, parses,
/// routes, enforces idempotency and hands the message to the spool.
///
/// Every refusal is a `Problem` thrown before `spool.accept`, so on any error nothing is
/// spooled; a receipt is returned only after `accept` returned (the record is on disk).
package final class SubmissionIntake: Sendable {
    private let spool: Spool
    private let mappings: MappingStore
    private let limits: LimitsConfiguration
    private let disk: DiskSpaceMonitor
    private let lifecycle: ServerLifecycle
    private let metrics: ServerMetrics
    private let retryAfterSeconds: Int
    private let idempotencyLocks = KeyedAsyncLock()

    package init(
        spool: Spool,
        mappings: MappingStore,
        limits: LimitsConfiguration,
        disk: DiskSpaceMonitor,
        lifecycle: ServerLifecycle,
        metrics: ServerMetrics,
        retryAfter: Duration
    ) {
        self.spool = spool
        self.mappings = mappings
        self.limits = limits
        self.disk = disk
        self.lifecycle = lifecycle
        self.metrics = metrics
        self.retryAfterSeconds = max(1, Int(retryAfter.components.seconds))
    }

    /// The outcome of an accepted submission.
    package struct Accepted: Sendable {
        package let receipt: Receipt
        /// True when this answers a repeated Idempotency-Key with the original receipt.
        package let replayed: Bool
    }

    /// Refuses early (before the body is read) when the server cannot take submissions now.
    /// - Throws: `Problem` 503 (shutting down, disk below floor).
    package func checkAvailability() throws {
        if self.lifecycle.isShuttingDown {
            throw Problem(.shuttingDown, detail: "the server is shutting down; retry shortly", retryAfterSeconds: 5)
        }
        if self.disk.isBelowFloor {
            throw Problem(.insufficientStorage, detail: "free disk space is below the configured floor", retryAfterSeconds: self.retryAfterSeconds)
        }
    }

    /// Accepts one submission from `client`.
    /// - Parameters:
    ///   - submission: the decoded body (document plus attachments).
    ///   - idempotencyKey: the `Idempotency-Key` header, if any (already validated).
    ///   - formID: the `Form-ID` header, if any.
    /// - Throws: `Problem` for every refusal.
    package func accept(_ submission: DecodedSubmission, client: PortalClient, idempotencyKey: String?, formID: String?) async throws -> Accepted {
        let start = ContinuousClock.now
        try self.checkAvailability()
        let document: SourceDocument
        do {
            document = try SourceDocument.parse(
                submission.payload,
                contentType: submission.contentType,
                limits: DocumentLimits(maxBytes: self.limits.maxBodyBytes)
            )
        } catch let error as DocumentError {
            throw Problem(documentError: error, maxBytes: self.limits.maxBodyBytes)
        }
        let targets: [String]
        do {
            targets = try self.mappings.current.route(document, formID: formID)
        } catch let error as MappingError {
            // Only a `matches` regex that gave up is thrown here; names target, pattern and source path, never values.
            throw Problem(.matchRegexLimit, detail: error.description)
        }
        guard !targets.isEmpty else {
            throw Problem(.noMatchingTarget, detail: "no mapping's match rules accept this submission")
        }
        let message = NewMessage(
            clientID: client.name,
            contentType: submission.contentType,
            targets: targets,
            idempotencyKey: idempotencyKey,
            formID: formID,
            contentDigest: idempotencyKey == nil ? nil : submission.contentDigest(),
            payload: submission.payload,
            attachments: submission.attachments
        )
        let accepted: Accepted
        if let idempotencyKey {
            accepted = try await self.idempotencyLocks.withLock(.init(scope: client.name, key: idempotencyKey)) {
                try await self.acceptOnce(message, client: client, key: idempotencyKey)
            }
        } else {
            accepted = Accepted(receipt: try await self.store(message), replayed: false)
        }
        if accepted.replayed {
            self.metrics.recordReplayed()
        } else {
            self.metrics.recordAccepted(latency: ContinuousClock.now - start)
        }
        return accepted
    }

    /// Under the key's lock: the original receipt if this client used the key for the same
    /// content, 409 if for other content, otherwise a fresh accept.
    private func acceptOnce(_ message: NewMessage, client: PortalClient, key: String) async throws -> Accepted {
        if let known = try self.spool.lookupIdempotencyKey(clientID: client.name, key: key) {
            return try self.replay(knownID: known.id, knownDigest: known.contentDigest, message: message)
        }
        do {
            return Accepted(receipt: try await self.store(message), replayed: false)
        } catch let error as SpoolError where error.code == .duplicateKey {
            // Another process or path stored the key meanwhile; answer as for a repeated request.
            guard let known = try self.spool.lookupIdempotencyKey(clientID: client.name, key: key) else {
                throw Problem(.spoolUnavailable, detail: "the submission could not be stored; nothing was accepted", retryAfterSeconds: 1)
            }
            return try self.replay(knownID: known.id, knownDigest: known.contentDigest, message: message)
        }
    }

    private func replay(knownID: MessageID, knownDigest: String?, message: NewMessage) throws -> Accepted {
        guard knownDigest == message.contentDigest, let snapshot = try self.spool.message(knownID) else {
            throw Problem(.idempotencyConflict, detail: "this Idempotency-Key was already used for a different submission")
        }
        return Accepted(receipt: Receipt(id: snapshot.id, receivedAt: snapshot.receivedAt, targets: snapshot.targets), replayed: true)
    }

    private func store(_ message: NewMessage) async throws -> Receipt {
        do {
            return try await self.spool.accept(message)
        } catch let error as SpoolError {
            switch error.code {
            case .messageTooLarge:
                throw Problem(.payloadTooLarge, detail: "payload and attachments exceed the spool's message size limit")
            case .duplicateKey:
                throw error
            case .closed:
                throw Problem(.shuttingDown, detail: "the server is shutting down; retry shortly", retryAfterSeconds: 5)
            default:
                throw Problem(.spoolUnavailable, detail: "the submission could not be stored; nothing was accepted", retryAfterSeconds: self.retryAfterSeconds)
            }
        }
    }
}
