import AmtsboteServer
import ArgumentParser

/// `amtsbote token new NAME`: creates a client token for config/amtsbote.yaml.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create portal client tokens.",
        subcommands: [New.self]
    )

    /// Prints a fresh token once, and the configuration entry that holds only its SHA-256.
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Print a new random token (shown only this once) and the config entry holding its SHA-256.",
            discussion: """
                Give the token to the portal's operators over a secure channel; add the printed entry under
                `portal.clients` in config/amtsbote.yaml. The server never stores the token itself.
                """
        )

        @Argument(help: "Client name, recorded with every submission of this client (letters, digits, '-', '_', '.').")
        var name: String

        func validate() throws {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
            guard !self.name.isEmpty, self.name.count <= 64, self.name.allSatisfy(allowed.contains) else {
                throw ValidationError("NAME must be 1-64 characters of letters, digits, '-', '_' or '.'")
            }
        }

        func run() throws {
            let token = TokenGenerator.newToken()
            print("Token for client '\(self.name)' (shown only now; store it in the portal's secret store):")
            print("")
            print("    \(token)")
            print("")
            print("Add this entry under portal.clients in config/amtsbote.yaml:")
            print("")
            print(TokenGenerator.configEntry(name: self.name, token: token))
        }
    }
}
