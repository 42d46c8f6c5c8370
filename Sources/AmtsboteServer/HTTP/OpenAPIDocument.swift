import Foundation

/// `docs/openapi.yaml`, served at `/v1/openapi.yaml`.
///
/// The build copies it into the module's resource bundle next to the executable
/// (`amtsbote_AmtsboteServer.resources/`). It is located by hand instead of via
/// `Bundle.module`, whose generated accessor traps when the bundle is missing (e.g. a binary
/// copied elsewhere); then `docs/openapi.yaml` in the working directory is tried.
package enum OpenAPIDocument {
    /// Candidate paths, most specific first.
    package static func candidatePaths(executable: String = CommandLine.executablePath) -> [String] {
        let directory = (executable as NSString).deletingLastPathComponent
        return [
            "\(directory)/amtsbote_AmtsboteServer.resources/openapi.yaml",
            "docs/openapi.yaml",
        ]
    }

    /// The document's bytes, or nil when no copy can be found.
    package static func load(candidates: [String] = candidatePaths()) -> Data? {
        for path in candidates {
            if let data = FileManager.default.contents(atPath: path) { return data }
        }
        return nil
    }
}

extension CommandLine {
    /// Real path of the running executable (`/proc/self/exe`), falling back to `argv[0]`.
    package static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
