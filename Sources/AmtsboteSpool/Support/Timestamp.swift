import Foundation

/// ISO 8601 UTC with milliseconds, as used in audit lines, JSON and CLI output.
package enum Timestamp {
    package static func iso8601(_ date: Date) -> String {
        iso8601(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    static func iso8601(_ milliseconds: Int64) -> String {
        let seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let millis = Int((milliseconds % 1000 + 1000) % 1000)
        var parts = tm()
        var copy = seconds
        gmtime_r(&copy, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let fraction = String(repeating: "0", count: 3 - String(millis).count) + String(millis)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(fraction)Z"
    }
}
