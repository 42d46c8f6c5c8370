/// Type of a value in JSON output.
enum OutputType: String, Sendable {
    /// Keep the source's type: JSON numbers and booleans stay numbers and booleans, all else is text.
    case auto
    case string
    case number
    case boolean
}
