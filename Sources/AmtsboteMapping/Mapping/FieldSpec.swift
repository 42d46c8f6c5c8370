/// One output field of a mapping, compiled.
final class FieldSpec: Sendable {
    /// Output name.
    let name: OutputName
    /// Dotted name for error messages (`halter.anschrift.ort`).
    let qualifiedName: String
    /// Only produced when this holds (evaluated in the field's context).
    let when: Condition?
    /// What the field holds.
    let body: Body

    init(name: OutputName, qualifiedName: String, when: Condition?, body: Body) {
        self.name = name
        self.qualifiedName = qualifiedName
        self.when = when
        self.body = body
    }

    indirect enum Body: Sendable {
        /// A single value (or a list of values when the spec says `list`).
        case value(ValueSpec)
        /// A nested object / element.
        case group([FieldSpec])
        /// A repeating group: one item per node selected by `path`.
        case each(path: PathExpression, filter: Condition?, required: Bool, item: Body)
    }
}
