/// Which submissions a mapping applies to; every given criterion must hold.
struct MatchRule: Sendable {
    /// Required source syntax, if any.
    var format: SourceDocument.Format?
    /// Required XML root element (local name and namespace URI), if any.
    var root: (name: String, namespace: String)?
    /// Accepted portal form ids, if any (the submission's form id must be one of them).
    var formIDs: [String]?
    /// Conditions on the document's content.
    var conditions: [Condition]
}
