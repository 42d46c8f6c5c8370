/// The keys of one JSON object seen so far, to refuse duplicates without building a `String` per key.
///
/// Small objects (the usual case) are checked by a linear scan; from 16 keys on, keys are also kept in
/// a hash table so that an object with a million keys costs linear, not quadratic, time.
struct KeySet {
    private var keys: [TextRange] = []
    private var table: [Int: [TextRange]]? = nil

    /// Adds `key`; returns false if an equal key (same bytes) was already there.
    mutating func insert(_ key: TextRange, in buffer: [UInt8]) -> Bool {
        if table == nil {
            for existing in keys where Self.equal(existing, key, buffer) {
                return false
            }
            keys.append(key)
            if keys.count == 16 {
                var built: [Int: [TextRange]] = [:]
                for existing in keys { built[Self.hash(existing, buffer), default: []].append(existing) }
                table = built
            }
            return true
        }
        let hash = Self.hash(key, buffer)
        if let bucket = table?[hash], bucket.contains(where: { Self.equal($0, key, buffer) }) {
            return false
        }
        table?[hash, default: []].append(key)
        return true
    }

    private static func equal(_ a: TextRange, _ b: TextRange, _ buffer: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return buffer[Int(a.start) ..< Int(a.start + a.count)].elementsEqual(buffer[Int(b.start) ..< Int(b.start + b.count)])
    }

    private static func hash(_ range: TextRange, _ buffer: [UInt8]) -> Int {
        var hasher = Hasher()
        buffer.withUnsafeBytes { raw in
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: raw[Int(range.start) ..< Int(range.start + range.count)]))
        }
        return hasher.finalize()
    }
}
