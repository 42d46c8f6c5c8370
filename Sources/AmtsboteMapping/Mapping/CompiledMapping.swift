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
