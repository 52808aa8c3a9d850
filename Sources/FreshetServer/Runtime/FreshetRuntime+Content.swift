import Foundation
package import Freshet
import TableauClient

/// Content browsing and the REST pass-through of a connection, for the CLI and the HTTP routes.
/// Tableau's failures come as ``AccessError/tableau(_:)`` (Tableau's words; `isUnreachable`
/// when it could not be reached).
extension FreshetRuntime {
    /// The content gateway of a connection (name or id).
    package func contentGateway(connection: String, actor: String) async throws -> any ContentGateway {
        let resolved = try await access.connection(connection)
        return ClientContentGateway(client: try await client(for: resolved.name, actor: actor))
    }

    /// One page of the site's collections.
    package func collections(connection: String, pageNumber: Int = 1, pageSize: Int = 100, actor: String) async throws -> CollectionPage {
        let gateway = try await contentGateway(connection: connection, actor: actor)
        return try await Self.tableau { () async throws(GatewayError) in
            try await gateway.collections(pageNumber: max(1, pageNumber), pageSize: max(1, min(pageSize, 1000)))
        }
    }

    /// One page of content search.
    package func searchContent(connection: String, query: ContentSearchQuery, actor: String) async throws -> ContentSearchPage {
        let gateway = try await contentGateway(connection: connection, actor: actor)
        return try await Self.tableau { () async throws(GatewayError) in try await gateway.search(query) }
    }

    /// Usage statistics of one workbook or data source.
    package func usageStats(connection: String, type: UsageContentType, id: String, actor: String) async throws -> ContentUsage {
        let gateway = try await contentGateway(connection: connection, actor: actor)
        return try await Self.tableau { () async throws(GatewayError) in try await gateway.usageStats(type, id: id) }
    }

    /// The server's product and REST API versions.
    package func serverInfo(connection: String, actor: String) async throws -> TableauServerInfo {
        let gateway = try await contentGateway(connection: connection, actor: actor)
        return try await Self.tableau { () async throws(GatewayError) in try await gateway.serverInfo() }
    }

    /// Who and where the connection's session is.
    package func currentSession(connection: String, actor: String) async throws -> TableauSessionInfo {
        let gateway = try await contentGateway(connection: connection, actor: actor)
        return try await Self.tableau { () async throws(GatewayError) in try await gateway.currentSession() }
    }

    /// Sends any REST call through the connection's session; audited as "tableau.passthrough"
    /// with the method and path (never the body or the query values).
    package func passThrough(connection: String, request: PassThroughRequest, actor: String) async throws -> PassThroughResponse {
        let resolved = try await access.connection(connection)
        let gateway = try await contentGateway(connection: resolved.id, actor: actor)
        var details = ["connection": resolved.name, "method": request.method, "path": request.path, "family": request.family.rawValue]
        do {
            let response = try await Self.tableau { () async throws(GatewayError) in try await gateway.send(request) }
            details["status"] = String(response.status)
            try await store.append(
                AuditEvent(actor: actor, action: "tableau.passthrough", target: resolved.name, outcome: "success", details: details)
            )
            return response
        } catch {
            if case .tableau(let gatewayError) = error as? AccessError {
                details["status"] = gatewayError.status.map(String.init) ?? "none"
                details["error"] = String(gatewayError.message.prefix(300))
            }
            try await store.append(
                AuditEvent(actor: actor, action: "tableau.passthrough", target: resolved.name, outcome: "failure", details: details)
            )
            throw error
        }
    }

    /// Runs a gateway call, turning its error into ``AccessError/tableau(_:)``.
    static func tableau<T>(_ call: () async throws(GatewayError) -> T) async throws(AccessError) -> T {
        do throws(GatewayError) { return try await call() } catch { throw .tableau(error) }
    }
}
