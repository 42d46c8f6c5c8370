import Foundation

/// The circuit breaker of one target, as a pure state machine (no clock, no I/O: callers pass `now`).
///
/// `closed` sends freely and counts consecutive transient failures; at the threshold it turns `open`
/// and refuses to send until the pause is over. The first worker that asks after the pause gets
/// `.probe` and the breaker is `halfOpen`: everyone else waits for that one job's outcome. A
/// successful probe closes the breaker; a failed one reopens it with a doubled pause. This keeps a
/// sick department system from being hammered by every queued job while it is down.
package struct CircuitBreaker: Sendable, Equatable {
    /// Where the breaker stands.
    package enum State: Sendable, Equatable {
        /// Sending; `consecutiveFailures` transient failures since the last success.
        case closed(consecutiveFailures: Int)
        /// Not sending until `until`; this is the `openings`-th opening in a row.
        case open(until: Date, openings: Int)
        /// One probe is in flight; nobody else sends until it reports.
        case halfOpen(openings: Int)
    }

    /// What a worker may do now.
    package enum Permission: Sendable, Equatable {
        /// Send normally.
        case send
        /// Send exactly one job as the probe and report its outcome with `isProbe: true`.
        case probe
        /// Do not send. Ask again at the date, or (nil) when the breaker changes state.
        case wait(until: Date?)
    }

    package let configuration: CircuitBreakerConfiguration
    package private(set) var state: State = .closed(consecutiveFailures: 0)

    package init(configuration: CircuitBreakerConfiguration) {
        self.configuration = configuration
    }

    /// Asks whether a worker may send a job now; turns an expired `open` into `halfOpen` (a probe).
    package mutating func permission(now: Date) -> Permission {
        switch state {
        case .closed:
            return .send
        case .open(let until, let openings):
            guard now >= until else { return .wait(until: until) }
            state = .halfOpen(openings: openings)
            return .probe
        case .halfOpen:
            return .wait(until: nil)
        }
    }

    /// The target accepted a job, or answered with a permanent (4xx) refusal: either way it is up.
    package mutating func recordSuccess() {
        state = .closed(consecutiveFailures: 0)
    }

    /// A transient failure (network error, timeout, 408/425/429/5xx).
    ///
    /// - Parameter isProbe: true when the job was sent after `.probe`. Failures of jobs that were
    ///   already in flight when the breaker opened do not extend the pause.
    package mutating func recordTransientFailure(now: Date, isProbe: Bool) {
        switch state {
        case .closed(let failures):
            let count = failures + 1
            if count >= configuration.failureThreshold {
                state = .open(until: now + configuration.pause(forOpening: 1), openings: 1)
            } else {
                state = .closed(consecutiveFailures: count)
            }
        case .open:
            break
        case .halfOpen(let openings):
            guard isProbe else { return }
            let next = openings + 1
            state = .open(until: now + configuration.pause(forOpening: next), openings: next)
        }
    }

    /// The probe job was not sent after all (mapping error, lifetime expired, job gone): let the next
    /// worker probe at once with another job.
    package mutating func recordProbeNotSent(now: Date) {
        if case .halfOpen(let openings) = state {
            state = .open(until: now, openings: openings)
        }
    }

    /// For the breaker-state gauge: 0 closed, 1 half-open, 2 open.
    package var gaugeValue: Int {
        switch state {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }

    /// Short name for logs and `queue` output.
    package var stateName: String {
        switch state {
        case .closed: "closed"
        case .halfOpen: "half-open"
        case .open: "open"
        }
    }
}
