import ArgumentParser
import Foundation

extension Amtsbote {
    /// Like ArgumentParser's `main()`, but a usage error is one line on stderr
    /// (`error: …`, exit 64) instead of the message plus the usage block, so that scripts and
    /// operators get one clear line; `--help` and friends behave as usual.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
            FileHandle.standardError.write(Data("error: \(text)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
