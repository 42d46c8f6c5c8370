import AmtsboteMapping
import Foundation

/// Shared pieces of the `mapping` commands: reading a submission and reporting failures.
enum MappingCLISupport {
    /// Exit codes (sysexits.h): 1 = mapping problem, 65 = unusable submission, 66 = missing input.
    static let mappingFailure: Int32 = 1
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66

    /// Prints `message` on stderr and exits with `code`.
    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
        exit(code)
    }

    /// Reads and parses a submission file; the content type comes from `--content-type` or the extension.
    static func readSubmission(_ path: String, contentType: String?) -> SourceDocument {
        let url = URL(fileURLWithPath: path)
        let limit = DocumentLimits().maxBytes
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size > limit {
            fail("error: \(path): submission is \(size) bytes, limit is \(limit)", code: dataError)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fail("error: \(path): cannot read submission file", code: noInput)
        }
        let type: String
        if let contentType {
            type = contentType
        } else {
            switch url.pathExtension.lowercased() {
            case "json": type = "application/json"
            case "xml": type = "application/xml"
            default: fail("error: \(path): cannot tell XML from JSON by the file name; pass --content-type", code: dataError)
            }
        }
        do {
            return try SourceDocument.parse(data, contentType: type)
        } catch let error as DocumentError {
            let position = error.line > 0 ? "\(error.line):\(error.column): " : ""
            fail("\(path):\(position)error: \(error.reason)", code: dataError)
        } catch {
            fail("error: \(path): \(error)", code: dataError)
        }
    }

    /// Prints every load error (`file:line:column: message`) and exits 1.
    static func failLoading(_ errors: MappingLoadErrors) -> Never {
        let lines = errors.errors.map { "\($0.description)" }.joined(separator: "\n")
        fail(lines + "\n\(errors.errors.count) error\(errors.errors.count == 1 ? "" : "s")", code: mappingFailure)
    }
}
