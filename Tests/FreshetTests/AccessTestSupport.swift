import Foundation
import Freshet
import Synchronization

/// An in-memory Tableau site for the access rules: users by id, counted role changes, and an
/// optional failure for every call (a non-administrator PAT answers 403).
final class FakeAccessGateway: AccessGateway {
    struct State {
        var users: [SiteUser]
        var roleChanges: [(userId: String, role: String)] = []
        var lookups = 0
        var failure: GatewayError?
    }

    let state: Mutex<State>

    init(users: [SiteUser] = FakeAccessGateway.demoUsers, failure: GatewayError? = nil) {
        state = Mutex(State(users: users, failure: failure))
    }

    static let demoUsers = [
        SiteUser(id: "u-admin", name: "admin@example.com", email: "admin@example.com", siteRole: "SiteAdministratorCreator"),
        SiteUser(id: "u-ana", name: "ana", email: "ana@example.com", siteRole: "Creator"),
        SiteUser(id: "u-vic", name: "vic", email: "vic@example.com", siteRole: "Viewer"),
        SiteUser(id: "u-new", name: "new.hire@example.com", email: "new.hire@example.com", siteRole: "Unlicensed"),
    ]

    static let forbidden = GatewayError(
        status: 403, code: "403014", message: "Tableau request failed (HTTP 403, Forbidden): only administrators may list users"
    )

    var roleChanges: Int { state.withLock { $0.roleChanges.count } }
    var lookups: Int { state.withLock { $0.lookups } }
    func role(of id: String) -> String? { state.withLock { state in state.users.first { $0.id == id }?.siteRole } }

    func user(named name: String) async throws(GatewayError) -> SiteUser? {
        try state.withLock { state throws(GatewayError) in
            state.lookups += 1
            if let failure = state.failure { throw failure }
            return state.users.first { $0.name == name }
        }
    }

    func user(email: String) async throws(GatewayError) -> SiteUser? {
        try state.withLock { state throws(GatewayError) in
            if let failure = state.failure { throw failure }
            return state.users.first { $0.email == email }
        }
    }

    func setSiteRole(userId: String, role: String) async throws(GatewayError) -> SiteUser {
        try state.withLock { state throws(GatewayError) in
            if let failure = state.failure { throw failure }
            guard let index = state.users.firstIndex(where: { $0.id == userId }) else {
                throw GatewayError(status: 404, code: "404002", message: "User '\(userId)' could not be found.")
            }
            state.users[index].siteRole = role
            state.roleChanges.append((userId, role))
            return state.users[index]
        }
    }

    func users(_ query: UserListQuery) async throws(GatewayError) -> UserPage {
        try state.withLock { state throws(GatewayError) in
            if let failure = state.failure { throw failure }
            let matching = state.users.filter { user in
                (query.name.map { $0 == user.name } ?? true) && (query.email.map { $0 == user.email } ?? true)
                    && (query.siteRole.map { $0 == user.siteRole } ?? true)
            }
            let start = (query.pageNumber - 1) * query.pageSize
            let page = start < matching.count ? Array(matching[start..<min(start + query.pageSize, matching.count)]) : []
            return UserPage(users: page, paging: Paging(pageNumber: query.pageNumber, pageSize: query.pageSize, totalAvailable: matching.count))
        }
    }
}

/// An access service on in-memory stores with one connection, "prod".
struct AccessFixture {
    let store = InMemoryStore()
    let events = InMemoryAccessEventStore()
    let service: AccessService

    init() async throws {
        service = AccessService(events: events, connections: store, audit: store)
        let connections = ConnectionService(store: store, sessions: store, audit: store, keyring: Keyring(current: .generate()))
        _ = try await connections.add(
            ConnectionDraft(name: "prod", serverURL: "https://tableau.example.com", patName: "freshet", patSecret: "secret-value-1234"), actor: "test"
        )
    }

    func event(_ type: AccessEventKind, _ user: String, _ role: String, id: String = UUID().uuidString) -> AccessEvent {
        AccessEvent(eventId: id, type: type, connection: "prod", user: user, role: role)
    }
}
