import NIOCore
import NIOHTTPTypes
import Synchronization

/// Open connections by client address, shared by every connection of a server.
package final class ConnectionsPerAddress: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    let limit: Int

    package init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new connection from `address`; false (and not counted) when it has `limit` already.
    func open(_ address: String) -> Bool {
        counts.withLock { counts in
            let count = counts[address, default: 0]
            guard count < limit else { return false }
            counts[address] = count + 1
            return true
        }
    }

    func close(_ address: String) {
        counts.withLock { counts in
            let count = counts[address, default: 0] - 1
            counts[address] = count > 0 ? count : nil
        }
    }

    /// Connections open from `address`.
    package func count(_ address: String) -> Int {
        counts.withLock { $0[address, default: 0] }
    }
}

/// Closes a new connection at once when its client address already holds the limit.
final class ConnectionsPerAddressHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let registry: ConnectionsPerAddress
    private var counted: String?
    private var checked = false

    init(registry: ConnectionsPerAddress) {
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { check(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        check(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    private func check(_ context: ChannelHandlerContext) {
        guard !checked else { return }
        checked = true
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if registry.open(address) {
            counted = address
        } else {
            context.close(promise: nil)
        }
    }

    private func release() {
        if let address = counted { registry.close(address) }
        counted = nil
    }
}
