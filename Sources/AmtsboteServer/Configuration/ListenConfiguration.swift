/// The portal listener's address.
package struct ListenConfiguration: Sendable, Equatable {
    /// IP address or host name to bind. Default `127.0.0.1`.
    package var host: String
    /// TCP port; 0 picks a free one (tests). Default 8080.
    package var port: Int

    package init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }

    /// True when only this machine can connect: 127.0.0.0/8, `::1` or `localhost`.
    ///
    /// Wildcards (`0.0.0.0`, `::`) and every other address are reachable from a network, which
    /// matters because the shipped token is public (it is printed in the README).
    package var isLoopback: Bool {
        let host = self.host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { part in UInt8(part) != nil }
    }
}
