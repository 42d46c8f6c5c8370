import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What changes when any file below a directory is added, removed, replaced or edited:
/// the sorted list of (relative path, size, mtime in ns, inode).
package struct DirectorySignature: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        let path: String
        let size: Int64
        let modified: Int64
        let inode: UInt64
    }

    package let entries: [Entry]

    /// Reads the directory now (recursively). An unreadable directory has an empty signature.
    package init(directory: URL) {
        var entries: [Entry] = []
        let root = directory.path
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            var info = stat()
            guard stat(root + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            entries.append(Entry(path: relative, size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino)))
        }
        self.entries = entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}

/// The signature seen last, shared between polls.
final class LastSeenSignature: Sendable {
    private let value: Mutex<DirectorySignature>

    init(_ initial: DirectorySignature) {
        self.value = Mutex(initial)
    }

    /// Stores `signature`; true if it differs from the previous one.
    func replace(with signature: DirectorySignature) -> Bool {
        self.value.withLock { current in
            guard current != signature else { return false }
            current = signature
            return true
        }
    }
}
