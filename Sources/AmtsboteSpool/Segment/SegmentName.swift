/// Segment file names: `000000000001.log`, twelve digits so that names sort like numbers.
enum SegmentName {
    static func file(_ number: UInt32) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits + ".log"
    }

    /// The number in a segment file name, or nil for anything else (temp files, strays).
    static func number(_ name: String) -> UInt32? {
        guard name.hasSuffix(".log"), name.utf8.count == 16 else { return nil }
        return UInt32(name.dropLast(4))
    }
}
