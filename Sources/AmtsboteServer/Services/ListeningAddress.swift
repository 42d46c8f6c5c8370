import NIOCore
import Synchronization

/// The address a listener actually bound (port 0 picks one), available once it is listening.
package final class ListeningAddress: Sendable {
    private let state = Mutex<(address: SocketAddress?, waiters: [CheckedContinuation<SocketAddress, Never>])>((nil, []))

    package init() {}

    /// Records the bound address and wakes everyone waiting for it.
    package func set(_ address: SocketAddress) {
        let waiters = self.state.withLock { state in
            state.address = address
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: address) }
    }

    /// Waits until the listener is bound.
    package func value() async -> SocketAddress {
        await withCheckedContinuation { continuation in
            let address = self.state.withLock { state -> SocketAddress? in
                if let address = state.address { return address }
                state.waiters.append(continuation)
                return nil
            }
            if let address { continuation.resume(returning: address) }
        }
    }

    /// The TCP port, once bound.
    package func port() async -> Int {
        await self.value().port ?? 0
    }
}
