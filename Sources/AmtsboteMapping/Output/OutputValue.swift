/// The mapped document before serialisation: one tree for JSON, XML and CSV output.
///
/// Not `indirect`: the arrays in `object` and `array` already give the needed indirection, and an
/// indirect enum would box every scalar in its own heap allocation.
enum OutputValue: Sendable {
    case string(String)
    /// Exact number text, written unquoted in JSON.
    case number(String)
    case boolean(Bool)
    case null
    case object([OutputMember])
    case array([OutputValue])

    /// The scalar text (CSV cells, XML character data); nil for structures.
    var scalarText: String? {
        switch self {
        case .string(let text), .number(let text): return text
        case .boolean(let value): return value ? "true" : "false"
        case .null: return ""
        case .object, .array: return nil
        }
    }
}

/// One named member of an output object.
struct OutputMember: Sendable {
    var name: OutputName
    var value: OutputValue
}
