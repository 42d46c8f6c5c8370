/// One value flowing through a field's functions.
struct EvaluatedValue {
    enum Kind {
        case string
        case number
        case boolean
    }

    var text: String
    var kind: Kind
    /// For `codelist`: the code list the document names for this value (XÖV `listURI`).
    var listURI: String? = nil
    /// For `codelist`: the version the document names (XÖV `listVersionID`).
    var listVersion: String? = nil
}
