import Foundation

extension RefreshEngine {
    /// The connection named (or with id) `connection` and every item `targets` resolve to —
    /// live items too — without refreshing anything (pipeline events, warnings).
    package func resolveItems(_ targets: [RefreshTarget], connection nameOrId: String) async throws(RefreshRequestError) -> (Connection, [RefreshableItem]) {
        let connection = try await connection(nameOrId)
        let gateway: any RefreshGateway
        do { gateway = try await gateways(connection) } catch { throw .tableau(GatewayError(message: "\(error)")) }
        usedConnections.insert(connection.id)
        let resolver = TargetResolver(gateway: gateway, cache: resolutions, connection: connection.id, now: clock.now())
        let resolution = try await resolver.resolve(targets, skippingTablesWithoutLineage: true)
        return (connection, resolution.items.map(\.item) + resolution.live)
    }
}
