import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Spool {
    /// Removes copies in `corrupt/` last modified before `cutoff`: they are unreadable bytes of
    /// the log, which may hold citizens' data, so they fall under the same retention as finished
    /// messages. Each removal gets a content-free audit line (file name only), written and
    /// flushed before the file goes.
    ///
    /// - Returns: how many files went (or would go, on a dry run).
    func purgeCorruptCopies(before cutoff: Date, dryRun: Bool, now: Date) throws -> Int {
        let directory = corruptPath
        guard FileSystem.exists(directory) else { return 0 }
        var expired: [String] = []
        for name in try FileSystem.list(directory) where name.hasSuffix(".bin") {
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if Double(info.st_mtim.tv_sec) < cutoff.timeIntervalSince1970 { expired.append(name) }
        }
        guard !dryRun, !expired.isEmpty else { return expired.count }
        let at = Milliseconds.from(now)
        audit.append(expired.sorted().map { AuditLog.line(at: at, corruptFile: $0, outcome: "purged") })
        try audit.sync()
        for name in expired where unlink(directory + "/" + name) != 0 && errno != ENOENT {
            throw SpoolError.io("unlink", path: directory + "/" + name, errno: errno)
        }
        try FileSystem.syncDirectory(directory)
        return expired.count
    }
}
