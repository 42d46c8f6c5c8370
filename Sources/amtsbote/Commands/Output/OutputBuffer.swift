import Foundation

/// Collects output and writes it to stdout in large chunks (listing a million jobs must not
/// make a million write calls); `flush()` at the end, or after each line for `watch`.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0A)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func raw(_ data: Data) {
        flush()
        FileHandle.standardOutput.write(data)
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }
}
