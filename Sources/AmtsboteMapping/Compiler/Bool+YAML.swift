extension Bool {
    /// YAML 1.2 core schema booleans.
    static func parseYAML(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
}
