import Freshet
import TableauClient

/// The health checks' view of Tableau, over a ``TableauClient``.
struct ClientHealthGateway: HealthCheckGateway {
    let client: TableauClient

    func signIn() async throws(GatewayError) {
        do { _ = try await client.session() } catch { throw GatewayError(error) }
    }

    func currentSiteContentUrl() async throws(GatewayError) -> String {
        do { return try await client.currentSite().contentUrl } catch { throw GatewayError(error) }
    }

    func readContent() async throws(GatewayError) {
        do {
            _ = try await client.contentPage(.workbook, ListOptions(pageSize: 1))
            _ = try await client.contentPage(.datasource, ListOptions(pageSize: 1))
        } catch {
            throw GatewayError(error)
        }
    }

    func countUsers() async throws(GatewayError) -> Int? {
        do { return try await client.usersPage(ListOptions(pageSize: 1)).pagination.totalAvailable } catch { throw GatewayError(error) }
    }
}

extension GatewayError {
    /// Tableau's error as the engine sees it.
    init(_ error: TableauError) {
        self.init(
            status: error.status, code: error.code, message: error.description, isTransient: error.isTransient,
            isUnreachable: error.kind == .unreachable || error.kind == .notTableau || error.kind == .timedOut,
            isCancelled: error.kind == .cancelled, holdSeconds: error.holdSeconds, isSecretUnavailable: error.kind == .credentialsUnavailable)
    }
}
