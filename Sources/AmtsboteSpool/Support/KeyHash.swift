/// FNV-1a 64 over (client, idempotency key) bytes: the index keeps this 8-byte hash, not the
/// strings, and confirms a hit against the record on disk (exact bytes, not `String ==`).
enum KeyHash {
    static func of(client: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in client {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        hash = (hash ^ 0xFF) &* 0x100_0000_01B3
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        return hash == 0 ? 1 : hash
    }

    static func of(client: String, key: String) -> UInt64 {
        let clientBytes = Array(client.utf8)
        let keyBytes = Array(key.utf8)
        return clientBytes.withUnsafeBytes { client in keyBytes.withUnsafeBytes { of(client: client, key: $0) } }
    }
}
