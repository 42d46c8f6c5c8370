/// Interns the few distinct strings the index repeats a million times (targets, client ids),
/// so that each job stores a 4-byte number instead of a string.
///
/// Look-ups compare UTF-8 bytes, not `String ==` (which would merge composed and decomposed
/// umlauts into one target).
struct StringTable {
    private var numbers: [[UInt8]: UInt32] = [:]
    private(set) var strings: [String] = []

    /// The number of `string`, adding it if new. The last name seen is checked first without
    /// hashing or allocating (most messages name the same client and target as the previous one).
    mutating func intern(_ string: String) -> UInt32 {
        if let last = lastHit, string.utf8.elementsEqual(lastBytes) { return last }
        let bytes = Array(string.utf8)
        let number = intern(bytes: bytes, string)
        lastHit = number
        lastBytes = bytes
        return number
    }

    /// The number of the UTF-8 `bytes`, adding them if new (recovery: no `String` unless new).
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        if let last = lastHit, lastBytes.elementsEqual(bytes) { return last }
        let key = Array(bytes)
        if let number = numbers[key] {
            lastHit = number
            lastBytes = key
            return number
        }
        return intern(bytes: key, String(decoding: key, as: UTF8.self))
    }

    private var lastHit: UInt32?
    private var lastBytes: [UInt8] = []

    private mutating func intern(bytes: [UInt8], _ string: String) -> UInt32 {
        if let number = numbers[bytes] { return number }
        let number = UInt32(strings.count)
        numbers[bytes] = number
        strings.append(string)
        return number
    }

    /// The number of `string` if it is known.
    func number(of string: String) -> UInt32? {
        numbers[Array(string.utf8)]
    }

    subscript(number: UInt32) -> String { strings[Int(number)] }

    var count: Int { strings.count }
}
