/// Byte-exact text comparison.
///
/// Swift's `==` on `String` is canonical equivalence (a composed and a decomposed "ä" are equal). Names
/// and values in submissions are compared the way the sender wrote them, so paths compare UTF-8 bytes.
enum ExactText {
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
