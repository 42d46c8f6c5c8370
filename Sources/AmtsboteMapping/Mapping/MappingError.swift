/// A mapping that failed at run time on one document: names the target, the field and the source path.
///
/// `reason` never contains the document's values (they are citizens' personal data and this text goes
/// into dead-letter reasons and logs); it says what was expected instead.
package struct MappingError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Stable category, usable as a metric label.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// No mapping with this target name is loaded.
        package static let unknownTarget = Code("unknown-target")
        /// The target has mappings, but none whose `match` fits this document.
        package static let noMatchingMapping = Code("no-matching-mapping")
        /// More than one mapping of the target fits this document.
        package static let ambiguousMapping = Code("ambiguous-mapping")
        /// A `required` field has no value.
        package static let requiredValueMissing = Code("required-value-missing")
        /// A path selected several values where one was expected (and no `join` / `list` was given).
        package static let multipleValues = Code("multiple-values")
        /// A path selected a JSON object or array where a value was expected.
        package static let notAValue = Code("not-a-value")
        /// A value does not match the `date` pattern(s).
        package static let badDate = Code("bad-date")
        /// A value is not a decimal number.
        package static let badNumber = Code("bad-number")
        /// A value is not `true` / `false`.
        package static let badBoolean = Code("bad-boolean")
        /// A code is not in its code list (or the list/version named by the document is not loaded).
        package static let codeNotInList = Code("code-not-in-list")
        /// A value has no entry in an inline `map`.
        package static let valueNotMapped = Code("value-not-mapped")
        /// A `split` index is beyond the number of parts.
        package static let splitIndexOutOfRange = Code("split-index-out-of-range")
        /// An attachment is not valid base64 or lacks a name.
        package static let badAttachment = Code("bad-attachment")
        /// A `matches` condition or `replace` ran longer than the regular expression time limit on a
        /// value (a pattern with catastrophic backtracking); the admin must simplify the pattern.
        package static let regexTimeLimit = Code("regex-time-limit")
        /// A `matches` condition or `replace` exceeded the regex engine's backtracking memory on a value
        /// (e.g. a repeated group over a very long value); the admin must simplify the pattern.
        package static let regexBacktrackLimit = Code("regex-backtrack-limit")
    }

    /// Stable category.
    package var code: Code
    /// Target whose mapping failed.
    package var target: String
    /// Output field (dotted for nested fields, e.g. `halter.geburtsdatum`).
    package var field: String
    /// Source path the field reads, as written in the mapping ("" if the field has none).
    package var sourcePath: String
    /// What was expected; never quotes document values.
    package var reason: String

    package init(_ code: Code, target: String, field: String, sourcePath: String, reason: String) {
        self.code = code
        self.target = target
        self.field = field
        self.sourcePath = sourcePath
        self.reason = reason
    }

    package var description: String {
        var text = "mapping for target '\(target)'"
        if !field.isEmpty { text += ", field '\(field)'" }
        if !sourcePath.isEmpty { text += " (source \(sourcePath))" }
        return text + ": " + reason
    }
}
