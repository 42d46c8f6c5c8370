extension ServerConfiguration {
    /// Refuses a configuration that would expose the public, shipped token to a network.
    ///
    /// The local-only token is printed in the README; listening on anything but loopback
    /// while it is configured would let anyone who read the README submit data.
    /// - Throws: `ServerSetupError` with code `.unsafeListenAddress`.
    package func checkListenSafety() throws {
        guard !self.listen.isLoopback else { return }
        for client in self.clients where client.tokenDigest.constantTimeEquals(LocalOnlyToken.digest) {
            throw ServerSetupError(
                code: .unsafeListenAddress,
                message: "refusing to listen on \(self.listen.host): client '\(client.name)' uses the shipped local-only token;"
                    + " create a real one with `amtsbote token new \(client.name)` or listen on 127.0.0.1"
            )
        }
    }
}
