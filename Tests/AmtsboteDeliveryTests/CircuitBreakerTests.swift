import Foundation
import Testing

@testable import AmtsboteDelivery

@Suite struct CircuitBreakerTests {
    let start = Date(timeIntervalSince1970: 1_000_000)
    let configuration = CircuitBreakerConfiguration(failureThreshold: 3, openDuration: 10, maximumOpenDuration: 25)

    @Test func opensAfterThresholdConsecutiveFailuresOnly() {
        var breaker = CircuitBreaker(configuration: configuration)
        breaker.recordTransientFailure(now: start, isProbe: false)
        breaker.recordTransientFailure(now: start, isProbe: false)
        breaker.recordSuccess()  // resets the count
        breaker.recordTransientFailure(now: start, isProbe: false)
        breaker.recordTransientFailure(now: start, isProbe: false)
        #expect(breaker.permission(now: start) == .send)
        breaker.recordTransientFailure(now: start, isProbe: false)
        #expect(breaker.state == .open(until: start + 10, openings: 1))
        #expect(breaker.permission(now: start + 9.9) == .wait(until: start + 10))
        #expect(breaker.gaugeValue == 2)
    }

    @Test func probesOnceAfterThePauseAndClosesOnSuccess() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.recordTransientFailure(now: start, isProbe: false) }
        #expect(breaker.permission(now: start + 10) == .probe)
        #expect(breaker.stateName == "half-open")
        // Everyone else waits for the probe's outcome.
        #expect(breaker.permission(now: start + 11) == .wait(until: nil))
        breaker.recordSuccess()
        #expect(breaker.permission(now: start + 11) == .send)
        #expect(breaker.gaugeValue == 0)
    }

    @Test func failedProbeDoublesThePauseUpToTheMaximum() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.recordTransientFailure(now: start, isProbe: false) }
        #expect(breaker.permission(now: start + 10) == .probe)
        breaker.recordTransientFailure(now: start + 10, isProbe: true)
        #expect(breaker.state == .open(until: start + 30, openings: 2))
        #expect(breaker.permission(now: start + 30) == .probe)
        breaker.recordTransientFailure(now: start + 30, isProbe: true)
        #expect(breaker.state == .open(until: start + 55, openings: 3))  // 40 capped at 25
    }

    @Test func staleFailuresDoNotExtendThePause() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.recordTransientFailure(now: start, isProbe: false) }
        breaker.recordTransientFailure(now: start + 5, isProbe: false)  // in flight before opening
        #expect(breaker.state == .open(until: start + 10, openings: 1))
        #expect(breaker.permission(now: start + 10) == .probe)
        breaker.recordTransientFailure(now: start + 10, isProbe: false)  // not the probe
        #expect(breaker.state == .halfOpen(openings: 1))
    }

    @Test func probeNotSentLetsTheNextWorkerProbeAtOnce() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.recordTransientFailure(now: start, isProbe: false) }
        #expect(breaker.permission(now: start + 10) == .probe)
        breaker.recordProbeNotSent(now: start + 10)
        #expect(breaker.permission(now: start + 10) == .probe)
    }
}
