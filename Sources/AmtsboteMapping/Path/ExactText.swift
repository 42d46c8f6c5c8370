/// Byte-exact text comparison.
///
/// Swift's `==` on `String` is canonical equivalence (a composed and a decomposed "ä" are equal). Names
/// and values in submissions are compared the way the sender wrote them, so paths compare UTF-8 bytes.
enum ExactText {
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// `text` without leading and trailing whitespace (space, tab, CR, LF; plus any Unicode
    /// whitespace when the text is not ASCII), without bridging through NSString.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        if !isSpace(first) && !isSpace(last) && first < 0x80 && last < 0x80 { return text }
        if utf8.contains(where: { $0 >= 0x80 }) {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }), let end = utf8.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start ... end])
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
