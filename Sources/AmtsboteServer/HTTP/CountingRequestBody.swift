import Hummingbird
import NIOCore
import Synchronization

/// A request body that counts the bytes passing through, for the request log line of uploads
/// without Content-Length (chunked), whose size is known only once the handler has read them.
struct CountingRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// Bytes read so far; shared with the middleware that logs it.
    final class Counter: Sendable {
        private let bytes = Atomic<Int>(0)
        var value: Int { self.bytes.load(ordering: .relaxed) }
        func add(_ count: Int) { self.bytes.wrappingAdd(count, ordering: .relaxed) }
    }

    let base: RequestBody
    let counter: Counter

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let counter: Counter

        mutating func next() async throws -> ByteBuffer? {
            let buffer = try await self.base.next()
            if let buffer { self.counter.add(buffer.readableBytes) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.base.makeAsyncIterator(), counter: self.counter)
    }
}
