// AmtsboteDelivery: pushes every job from the spool into the department systems.
// Target senders (HTTP via AsyncHTTPClient, atomic file drop), retry policy with full jitter,
// a circuit breaker per target, and the per-target workers run by `DeliveryService`.
// Depends on AmtsboteSpool and AmtsboteMapping; knows nothing of the ingest server.
