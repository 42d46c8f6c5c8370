import Foundation
import Synchronization

/// A message's identity: 48 bits of milliseconds since 1970 followed by 80 random bits (ULID layout).
///
/// Ids sort by acceptance time, are unique without coordination and print as 26 characters of
/// Crockford base32, which operators can type and tell apart (no I, L, O, U).
package struct MessageID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 128 bits, most significant first, as stored in records.
    package let high: UInt64
    package let low: UInt64

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses the 26-character text form (case-insensitive; `I`/`L` read as 1, `O` as 0, as Crockford says).
    package init?(_ string: String) {
        let bytes = Array(string.utf8)
        guard bytes.count == 26 else { return nil }
        // The first character carries only 3 bits (128 = 26 * 5 - 2).
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (position, byte) in bytes.enumerated() {
            guard let value = Self.decodeTable[Int(byte)], value != 0xFF else { return nil }
            if position == 0 && value > 7 { return nil }
            // Shift the 128-bit number left by 5 and add the digit.
            high = (high << 5) | (low >> 59)
            low = (low << 5) | UInt64(value)
        }
        self.high = high
        self.low = low
    }

    /// Milliseconds since 1970 at which the id was made.
    package var timestampMilliseconds: Int64 { Int64(high >> 16) }

    package var description: String {
        var characters = [UInt8](repeating: 0, count: 26)
        var high = self.high
        var low = self.low
        for position in stride(from: 25, through: 0, by: -1) {
            characters[position] = Self.alphabet[Int(low & 0x1F)]
            low = (low >> 5) | (high << 59)
            high >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    package static func < (lhs: MessageID, rhs: MessageID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    private static let decodeTable: [UInt8?] = {
        var table = [UInt8?](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
            table[Int(Character(Unicode.Scalar(character)).lowercased().utf8.first!)] = UInt8(value)
        }
        for (alias, value) in [("I", 1), ("i", 1), ("L", 1), ("l", 1), ("O", 0), ("o", 0)] {
            table[Int(alias.utf8.first!)] = UInt8(value)
        }
        return table
    }()
}

extension MessageID {
    /// Makes ids that are strictly increasing within this process, even within one millisecond,
    /// so that the log order and the id order agree for messages accepted by one spool.
    ///
    /// The random bits come from a xorshift generator seeded once from the system's random
    /// source: ids must be unique, not secret, and a system call per id showed up in profiles.
    package final class Generator: Sendable {
        private struct State {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var random: UInt64
        }

        private let state: Mutex<State>

        package init() {
            var seed = SystemRandomNumberGenerator()
            state = Mutex(State(random: seed.next() | 1))
        }

        package func next(now: Date = Date()) -> MessageID {
            let milliseconds = UInt64(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down)))
            return state.withLock { last in
                let first = Self.step(&last.random)
                var high = (milliseconds << 16) | (first >> 48)
                var low = Self.step(&last.random)
                if (high >> 16) <= (last.high >> 16) {
                    // Same or earlier millisecond (clock step back): count up from the previous id.
                    high = last.high
                    low = last.low &+ 1
                    if low == 0 { high &+= 1 }
                }
                last.high = high
                last.low = low
                return MessageID(high: high, low: low)
            }
        }

        /// xorshift64*: fast, full period, good enough bits for uniqueness.
        private static func step(_ x: inout UInt64) -> UInt64 {
            x ^= x >> 12
            x ^= x << 25
            x ^= x >> 27
            return x &* 0x2545_F491_4F6C_DD1D
        }
    }
}
