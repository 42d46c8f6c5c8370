import Foundation

extension URL {
    /// The path as the user gave it when relative to the working directory, else absolute.
    var relativePathForMessages: String {
        let path = standardizedFileURL.path
        let cwd = FileManager.default.currentDirectoryPath
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}
