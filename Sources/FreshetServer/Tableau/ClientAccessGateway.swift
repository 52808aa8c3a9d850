import Freshet
import TableauClient

/// User management's view of Tableau, over a ``TableauClient``.
struct ClientAccessGateway: AccessGateway {
    let client: TableauClient

    func user(named name: String) async throws(GatewayError) -> SiteUser? {
        do { return try await client.user(named: name).map(SiteUser.init) } catch { throw GatewayError(error) }
    }

    /// Filters on `email:eq:` (REST-API.md lists that filter field as unconfirmed); a server that
    /// refuses the filter (HTTP 400) is walked page by page instead.
    func user(email: String) async throws(GatewayError) -> SiteUser? {
        let wanted = email.lowercased()
        var options = ListOptions(pageSize: 10)
        options.filter(.email, .eq, email)
        do {
            return try await client.usersPage(options).items.first { $0.email?.lowercased() == wanted }.map(SiteUser.init)
        } catch where error.status == 400 {
            do {
                for try await user in client.users(ListOptions(pageSize: 1000)) where user.email?.lowercased() == wanted {
                    return SiteUser(user)
                }
                return nil
            } catch {
                throw GatewayError(error)
            }
        } catch {
            throw GatewayError(error)
        }
    }

    func setSiteRole(userId: String, role: String) async throws(GatewayError) -> SiteUser {
        do { return SiteUser(try await client.updateSiteRole(userId: userId, to: role)) } catch { throw GatewayError(error) }
    }

    func users(_ query: UserListQuery) async throws(GatewayError) -> UserPage {
        var options = ListOptions(pageSize: query.pageSize, pageNumber: query.pageNumber)
        if let name = query.name { options.filter(.name, .eq, name) }
        if let email = query.email { options.filter(.email, .eq, email) }
        if let role = query.siteRole { options.filter(.siteRole, .eq, role) }
        options.sort("name")
        do {
            let page = try await client.usersPage(options)
            return UserPage(users: page.items.map(SiteUser.init), paging: Paging(page.pagination))
        } catch {
            throw GatewayError(error)
        }
    }
}

extension SiteUser {
    init(_ user: User) {
        self.init(
            id: user.id, name: user.name, fullName: user.fullName, email: user.email, siteRole: user.siteRole, authSetting: user.authSetting,
            lastLogin: user.lastLogin
        )
    }
}

extension Paging {
    init(_ pagination: Pagination) {
        self.init(pageNumber: pagination.pageNumber, pageSize: pagination.pageSize, totalAvailable: pagination.totalAvailable)
    }
}
