/// Which jobs an operator command applies to: given message ids, and/or a target and a state.
package struct JobSelection: Sendable, Hashable {
    /// Only jobs of these messages; nil means all messages.
    package var ids: [MessageID]?
    /// Only jobs for this target.
    package var target: String?
    /// Only jobs in this state.
    package var state: JobState?

    package init(ids: [MessageID]? = nil, target: String? = nil, state: JobState? = nil) {
        self.ids = ids
        self.target = target
        self.state = state
    }

    /// Every job in the spool.
    package static let all = JobSelection()

    package static func ids(_ ids: [MessageID], target: String? = nil) -> JobSelection {
        JobSelection(ids: ids, target: target)
    }

    package static func matching(target: String? = nil, state: JobState? = nil) -> JobSelection {
        JobSelection(target: target, state: state)
    }
}
