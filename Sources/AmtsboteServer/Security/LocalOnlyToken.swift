/// The token shipped in `config/amtsbote.yaml` and printed in the README, so that
/// `swift run amtsbote serve` plus one `curl` works on a fresh clone.
///
/// Because it is public, the server refuses to listen on anything but a loopback address
/// while a client with this token is configured (see `ServerConfiguration.checkListenSafety()`).
package enum LocalOnlyToken {
    /// The token as the README's `curl` sends it.
    package static let token = "amtsbote-local-only-token-do-not-use-in-production"

    /// Its digest, as it appears in the shipped configuration.
    package static let digest = TokenDigest(token: token)
}
