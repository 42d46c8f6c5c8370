/// A path that could not be compiled, with the offset (in characters) of the problem inside the path.
package struct PathSyntaxError: Error, Sendable, CustomStringConvertible {
    /// 0-based character offset in the path text.
    package var offset: Int
    /// What was expected.
    package var message: String

    package var description: String { "at character \(offset + 1) of path: \(message)" }
}
