// AmtsboteSpool: the durable file spool (append-only segment log with group commit),
// the job state per (message, target) and the in-memory index rebuilt at start-up.
// Depends on Foundation/Glibc only; knows nothing of HTTP or mappings.
