/// One mapping file after compilation: everything resolved, nothing left to look up per document.
///
/// A final class with constant properties (like ``FieldSpec`` and ``ValueSpec``) so that evaluating it
/// passes one reference around instead of copying, and retaining, every field of a struct.
final class CompiledMapping: Sendable {
    /// Target this mapping feeds.
    let target: String
    /// File it was compiled from (for messages).
    let file: String
    /// Which submissions it applies to.
    let match: MatchRule
    /// Output format and its options.
    let output: OutputSpec
    /// Top-level fields, in output order.
    let fields: [FieldSpec]
    /// What happens to attachments.
    let attachments: AttachmentSpec

    init(target: String, file: String, match: MatchRule, output: OutputSpec, fields: [FieldSpec], attachments: AttachmentSpec) {
        self.target = target
        self.file = file
        self.match = match
        self.output = output
        self.fields = fields
        self.attachments = attachments
    }
}

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

/// A test on the document: `when:` on fields and `where:` in `match`.
indirect enum Condition: Sendable {
    /// `path` selects a value equal (byte for byte) to one of `values` (negated by `negate`).
    case equals(PathExpression, [String], negate: Bool)
    /// `path` selects (or does not select) a non-empty value.
    case exists(PathExpression, Bool)
    /// `path` selects a value matching the regular expression.
    case matches(PathExpression, CompiledRegex)
    /// All conditions hold.
    case all([Condition])
    /// At least one condition holds.
    case any([Condition])
    /// The condition does not hold.
    case not(Condition)
}

/// How the output is written.
struct OutputSpec: Sendable {
    enum Format: String, Sendable {
        case json
        case xml
        case csv
    }

    var format: Format
    /// JSON/XML: indent nested structures (2 spaces).
    var pretty: Bool = true
    /// XML: root element.
    var root: OutputName?
    /// XML: prefix → URI declared on the root element (sorted by prefix).
    var namespaces: [(prefix: String, uri: String)] = []
    /// XML: default namespace declared on the root element.
    var defaultNamespace: String?
    /// XML: write `<?xml version="1.0" encoding="UTF-8"?>`.
    var declaration: Bool = true
    /// CSV: field separator.
    var separator: String = ";"
    /// CSV: write a header line with the field names.
    var header: Bool = true
    /// CSV: line ending.
    var lineEnding: String = "\r\n"
    /// CSV: quote every field instead of only those that need it.
    var quoteAll: Bool = false
    /// CSV: one row per node selected by this path (fields relative to it); nil = one row.
    var rows: PathExpression?

    var contentType: String {
        switch format {
        case .json: return "application/json"
        case .xml: return "application/xml"
        case .csv: return "text/csv; charset=utf-8"
        }
    }
}

/// A name in the output: a JSON key, an XML element or attribute (namespace resolved), or a CSV column.
final class OutputName: Sendable {
    /// As written in the mapping (JSON key, CSV header).
    let key: String
    /// XML: prefix to write ("" for none).
    let prefix: String
    /// XML: local name.
    let local: String
    /// XML: written as an attribute of the enclosing element (`@name`).
    let isAttribute: Bool
    /// XML: written as the character data of the enclosing element (`text()`).
    let isText: Bool
    /// The qualified name to write in XML, computed once.
    let qualified: String

    init(key: String, prefix: String = "", local: String = "", isAttribute: Bool = false, isText: Bool = false) {
        self.key = key
        self.prefix = prefix
        self.local = local
        self.isAttribute = isAttribute
        self.isText = isText
        self.qualified = prefix.isEmpty ? local : prefix + ":" + local
    }
}

/// What happens to the submission's attachments.
struct AttachmentSpec: Sendable {
    enum Mode: String, Sendable {
        /// Embedded in the body as base64.
        case base64
        /// Passed as separate parts; the body lists them.
        case parts
        /// Not passed on.
        case drop
    }

    var mode: Mode = .drop
    /// Where the attachment list goes in the body.
    var field: OutputName?
    /// Attachments embedded in the document (XÖV `anlage` elements), if the mapping names them.
    var inline: InlineAttachments?
}

/// Where attachments embedded in the document are and which paths give name, type and content.
struct InlineAttachments: Sendable {
    var each: PathExpression
    var name: PathExpression
    var contentType: PathExpression
    var content: PathExpression
    /// Optional: the size in bytes the document declares (XÖV `groesse`); checked against the decoded content.
    var size: PathExpression?
}
