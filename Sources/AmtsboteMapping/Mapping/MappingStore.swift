import Foundation

/// Holds the mapping set in use and swaps in a freshly loaded one atomically.
///
/// A broken file never replaces a working set: ``reload()`` compiles the whole directory into a new
/// set first and swaps only if every file compiled, otherwise the old set stays and the errors are
/// thrown for the caller to report.
package final class MappingStore: Sendable {
    /// The directory this store loads.
    package let directory: URL
    private let state: LockedBox<MappingSet>

    /// Loads `directory`; throws ``MappingLoadErrors`` if it is broken (there is no old set to keep).
    package init(directory: URL) throws {
        self.directory = directory
        self.state = LockedBox(try MappingSet.load(directory: directory))
    }

    /// Wraps an already loaded set (tests, or a server that loaded it itself).
    package init(directory: URL, initial: MappingSet) {
        self.directory = directory
        self.state = LockedBox(initial)
    }

    /// The set in use now. Callers keep the returned value for one whole routing or mapping step, so a
    /// concurrent reload never mixes two versions within one submission.
    package var current: MappingSet { state.value }

    /// Loads the directory into a new set and swaps it in.
    /// - Returns: the new set.
    /// - Throws: ``MappingLoadErrors``; the old set stays in use.
    @discardableResult
    package func reload() throws -> MappingSet {
        let fresh = try MappingSet.load(directory: directory)
        state.value = fresh
        return fresh
    }
}
