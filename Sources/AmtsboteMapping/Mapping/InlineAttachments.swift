/// Where attachments embedded in the document are and which paths give name, type and content.
struct InlineAttachments: Sendable {
    var each: PathExpression
    var name: PathExpression
    var contentType: PathExpression
    var content: PathExpression
    /// Optional: the size in bytes the document declares (XÖV `groesse`); checked against the decoded content.
    var size: PathExpression?
}
