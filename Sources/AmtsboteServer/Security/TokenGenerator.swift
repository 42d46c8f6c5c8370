/// Creates fresh client tokens for `amtsbote token new NAME`.
package enum TokenGenerator {
    /// 32 bytes from the system's cryptographically secure generator (getrandom), as
    /// URL-safe base64 without padding (43 characters), prefixed `amb_` so a leaked token is
    /// easy to recognise in code reviews and secret scanners.
    package static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            var word = generator.next() as UInt64
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return "amb_" + base64URL(bytes)
    }

    /// The configuration entry for a client with this token: only the hash, never the token.
    package static func configEntry(name: String, token: String) -> String {
        """
            - name: \(name)
              tokenSHA256: \(TokenDigest(token: token).hex)
        """
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters {
                out.append(alphabet[Int((value >> (18 - 6 * position)) & 0x3f)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
