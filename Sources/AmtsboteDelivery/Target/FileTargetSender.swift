import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drops jobs as files into a directory the department application imports from.
///
/// Each file is written under a temporary name in the same directory (`.<final name>.<random>.tmp`:
/// leading dot and `.tmp` suffix, which importers ignore), fsynced, renamed to its final name
/// (atomic within one file system) and the directory is fsynced, so the importer sees either no file
/// or the whole file, and a crash never leaves a half-written one under a final name. Attachments
/// are dropped first, each the same way, so the document never appears before its attachments.
package struct FileTargetSender: TargetSender {
    package let target: String
    package let configuration: FileTargetConfiguration
    private let directory: URL

    package init(target: String, configuration: FileTargetConfiguration) {
        self.target = target
        self.configuration = configuration
        self.directory = URL(fileURLWithPath: configuration.directory, isDirectory: true)
    }

    package func send(_ item: DeliveryItem) async -> SendResult {
        let fileName = finalName(for: item)
        let directory = self.directory
        let create = configuration.createDirectory
        // Blocking syscalls (write, fsync) run on a dispatch thread, not on the cooperative pool.
        return await withCheckedContinuation { (continuation: CheckedContinuation<SendResult, Never>) in
            DispatchQueue.global().async {
                do {
                    if create { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
                    for (index, part) in item.document.parts.enumerated() {
                        try Self.writeAtomically(
                            part.data,
                            name: Self.attachmentName(base: fileName, ext: item.document.fileExtension, index: index, part: part),
                            in: directory.path
                        )
                    }
                    try Self.writeAtomically(item.document.body, name: fileName, in: directory.path)
                    continuation.resume(returning: .delivered(status: nil))
                } catch let error as DeliveryError {
                    continuation.resume(returning: .transient(status: nil, reason: error.message, retryAfter: nil))
                } catch {
                    continuation.resume(returning: .transient(status: nil, reason: "cannot create directory \(directory.path)", retryAfter: nil))
                }
            }
        }
    }

    /// The final file name for a job, from the configured pattern.
    package func finalName(for item: DeliveryItem) -> String {
        var time = tm()
        var seconds = time_t(item.receivedAt.timeIntervalSince1970.rounded(.down))
        gmtime_r(&seconds, &time)
        let date = String(format: "%04d%02d%02d", Int(time.tm_year) + 1900, Int(time.tm_mon) + 1, Int(time.tm_mday))
        let clock = String(format: "%02d%02d%02d", Int(time.tm_hour), Int(time.tm_min), Int(time.tm_sec))
        let values: [String: String] = [
            "id": Self.safe(item.messageID),
            "target": Self.safe(target),
            "form": Self.safe(item.formID ?? "form"),
            "date": date,
            "time": clock,
            "ext": Self.safe(item.document.fileExtension),
        ]
        var result = configuration.fileName
        for (name, value) in values { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
        return result
    }

    /// `<final name without .ext>.attachment-<n>-<file name>`: sorted next to its document.
    private static func attachmentName(base: String, ext: String, index: Int, part: OutgoingDocument.Part) -> String {
        let stem = base.hasSuffix(".\(ext)") ? String(base.dropLast(ext.count + 1)) : base
        return "\(stem).attachment-\(index + 1)-\(safe(part.filename ?? part.name))"
    }

    /// Keeps `[A-Za-z0-9._-]`, replaces the rest with `_`, never starts with '.', so no value can
    /// climb out of the directory or hide as a temporary file.
    private static func safe(_ value: String) -> String {
        var bytes = value.utf8.prefix(120).map { byte -> UInt8 in
            let allowed = (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == 46 || byte == 95 || byte == 45
            return allowed ? byte : 95
        }
        if bytes.first == 46 { bytes[0] = 95 }
        if bytes.isEmpty { bytes = [95] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// temp name → write → fsync → close → rename → fsync(directory).
    private static func writeAtomically(_ data: Data, name: String, in directory: String) throws {
        var generator = SystemRandomNumberGenerator()
        let temporary = "\(directory)/.\(name).\(String(generator.next() as UInt64, radix: 36))\(FileTargetConfiguration.temporarySuffix)"
        let final = "\(directory)/\(name)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create file in \(directory)") }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure("cannot write file in \(directory)")
                    }
                    offset += written
                }
            }
            guard fsync(fd) == 0 else { throw failure("cannot fsync file in \(directory)") }
            closed = true
            guard close(fd) == 0 else { throw failure("cannot close file in \(directory)") }
            guard rename(temporary, final) == 0 else { throw failure("cannot rename file in \(directory)") }
        } catch {
            unlink(temporary)
            throw error
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw failure("cannot open directory \(directory)") }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw failure("cannot fsync directory \(directory)") }
    }

    private static func failure(_ what: String) -> DeliveryError {
        DeliveryError(.fileWriteFailed, "\(what): \(String(cString: strerror(errno)))")
    }
}
