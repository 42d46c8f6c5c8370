import AmtsboteSpool

/// Opens the queue, runs `body`, closes it on every path; spool errors become exit codes.
func withQueueControl(_ options: SpoolOptions, _ body: (any QueueControl) async throws -> Void) async throws {
    try await reportingFailures {
        let control = try QueueControlFactory.open(options)
        do {
            try await body(control)
            try await control.close()
        } catch {
            try? await control.close()
            throw error
        }
    }
}
