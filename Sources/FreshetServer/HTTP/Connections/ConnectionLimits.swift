import Foundation
package import NIOCore

/// How long a client may take and how many connections it may hold, so that slow or idle
/// clients never starve the others (issue 19): a request's headers must arrive within
/// ``headerTimeout`` of the connection opening (or of the previous response), its body within
/// ``bodyTimeout`` of its headers, an idle keep-alive connection is closed after
/// ``idleTimeout``, and one client address holds at most ``maxConnectionsPerAddress``
/// connections (further ones are closed at once). ``maxConnections`` in all keeps the server
/// below its open-files limit: past it, new connections wait in the listen backlog.
package struct ConnectionLimits: Sendable, Equatable {
    package var headerTimeout: TimeAmount
    package var bodyTimeout: TimeAmount
    package var idleTimeout: TimeAmount
    package var maxConnectionsPerAddress: Int
    package var maxConnections: Int

    package init(
        headerTimeout: TimeAmount = .seconds(10), bodyTimeout: TimeAmount = .seconds(30), idleTimeout: TimeAmount = .seconds(30),
        maxConnectionsPerAddress: Int = 128, maxConnections: Int = 768
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxConnections = maxConnections
    }
}
