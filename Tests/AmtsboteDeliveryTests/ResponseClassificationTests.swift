import Foundation
import Testing

@testable import AmtsboteDelivery

@Suite struct ResponseClassificationTests {
    let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT

    @Test(arguments: [200, 201, 202, 204])
    func successIsDelivered(status: Int) {
        #expect(ResponseClassification.classify(status: status, retryAfter: nil, now: now) == .delivered(status: status))
    }

    @Test(arguments: [408, 425, 429, 500, 502, 503, 504, 599])
    func transientStatuses(status: Int) {
        let result = ResponseClassification.classify(status: status, retryAfter: nil, now: now)
        guard case .transient(let got, let reason, nil) = result else {
            Issue.record("expected transient, got \(result)")
            return
        }
        #expect(got == status)
        #expect(reason.hasPrefix("HTTP \(status)"))
    }

    @Test(arguments: [400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 451, 301, 302])
    func permanentStatuses(status: Int) {
        let result = ResponseClassification.classify(status: status, retryAfter: "5", now: now)
        guard case .permanent(status, let reason) = result else {
            Issue.record("expected permanent, got \(result)")
            return
        }
        #expect(reason.hasPrefix("HTTP \(status) "))
    }

    @Test func badRequestReasonIsTheStatusLineOnly() {
        #expect(
            ResponseClassification.classify(status: 400, retryAfter: nil, now: now)
                == .permanent(status: 400, reason: "HTTP 400 Bad Request")
        )
    }

    @Test func retryAfterSecondsAndDatesAreHonoured() {
        #expect(
            ResponseClassification.classify(status: 503, retryAfter: "120", now: now)
                == .transient(status: 503, reason: "HTTP 503 Service Unavailable", retryAfter: 120)
        )
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(RetryAfter.parse("Wednesday, 21-Oct-15 07:29:00 GMT", now: now) == 60)
        #expect(RetryAfter.parse("Wed Oct 21 07:28:10 2015", now: now) == 10)
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.parse(" 7 ", now: now) == 7)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("-5", now: now) == nil)
        #expect(RetryAfter.parse("", now: now) == nil)
    }
}
