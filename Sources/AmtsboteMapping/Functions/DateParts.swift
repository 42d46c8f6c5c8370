/// The parts of a date/time value; absent parts are nil.
struct DateParts: Sendable, Equatable {
    var year: Int?
    var month: Int?
    var day: Int?
    var hour: Int?
    var minute: Int?
    var second: Int?
    /// Fraction digits as written (`120` for `.120`).
    var fraction: String?
    /// `Z` or `±hh:mm` as written.
    var zone: String?
}
