import Foundation
import Synchronization

/// Fans job changes out to every `changes()` subscriber. Each stream buffers at most
/// `bufferSize` changes and drops the oldest beyond that, so a slow reader never grows memory.
final class ChangeBroadcaster: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<JobChange>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    private let bufferSize: Int

    init(bufferSize: Int) {
        self.bufferSize = bufferSize
    }

    func subscribe() -> AsyncStream<JobChange> {
        let (stream, continuation) = AsyncStream.makeStream(of: JobChange.self, bufferingPolicy: .bufferingNewest(bufferSize))
        let id = nextID.add(1, ordering: .relaxed).newValue
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    var hasSubscribers: Bool { subscribers.withLock { !$0.isEmpty } }

    func publish(_ changes: [JobChange]) {
        guard !changes.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for continuation in targets {
            for change in changes { continuation.yield(change) }
        }
    }

    /// Ends every stream (spool closed).
    func finish() {
        let all = subscribers.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }
}
