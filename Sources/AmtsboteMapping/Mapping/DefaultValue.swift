/// What `default:` gives.
enum DefaultValue: Sendable {
    case text(String)
    /// YAML `null`: the field is written as JSON `null`.
    case null
}
