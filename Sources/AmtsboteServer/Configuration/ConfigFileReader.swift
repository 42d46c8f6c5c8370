import Foundation
import Yams

/// Reads a YAML configuration file into a `ConfigNode`, turning Yams' errors into
/// `ConfigFileError`s with `file:line:column`.
package enum ConfigFileReader {
    /// The file's text.
    package static func text(ofFile path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigFileError(code: .unreadable, file: path, line: nil, column: nil, key: "", message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigFileError(code: .syntax, file: path, line: nil, column: nil, key: "", message: "the file is not UTF-8 text")
        }
        return text
    }

    /// The root node of YAML text, or nil when it holds no document.
    package static func root(ofYAML text: String, file: String) throws -> ConfigNode? {
        do {
            guard let node = try Yams.compose(yaml: text) else { return nil }
            return ConfigNode(node: node, file: file, keyPath: "")
        } catch let error as YamlError {
            throw self.configError(error, file: file)
        }
    }

    private static func configError(_ error: YamlError, file: String) -> ConfigFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigFileError(code: .syntax, file: file, line: mark.line, column: mark.column, key: "", message: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigFileError(
                code: .syntax,
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                key: "",
                message: "duplicate keys: \(duplicates.joined(separator: ", "))"
            )
        default:
            return ConfigFileError(code: .syntax, file: file, line: nil, column: nil, key: "", message: "not valid YAML")
        }
    }
}
