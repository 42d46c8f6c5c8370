import Crypto

/// The SHA-256 of a client token: what the configuration stores instead of the token itself.
///
/// Only the digest is ever kept, so a leaked config file or memory dump does not reveal
/// usable credentials. Comparison is constant-time so response timing does not tell an
/// attacker how many leading bytes of a guess were right.
package struct TokenDigest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    package let bytes: [UInt8]

    /// Digest of a presented token (its UTF-8 bytes, exactly as sent).
    package init(token: some StringProtocol) {
        var hasher = SHA256()
        var token = String(token)
        token.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        self.bytes = Array(hasher.finalize())
    }

    /// Parses 64 hex digits (either case) as written in the configuration; nil otherwise.
    package init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// Lower-case hex, the form written into the configuration.
    package var hex: String { Hex.encode(self.bytes) }

    /// Only the first 8 hex digits: enough for an operator to tell tokens apart in a message.
    package var description: String { "sha256:\(self.hex.prefix(8))…" }

    /// Compares in time independent of where the digests differ.
    package func constantTimeEquals(_ other: TokenDigest) -> Bool {
        guard self.bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for index in self.bytes.indices {
            difference |= self.bytes[index] ^ other.bytes[index]
        }
        return difference == 0
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
