import Foundation
import HTTPTypes
import Synchronization

/// Tableau's REST API: dispatch on path segments (matched case-insensitively, as clients use
/// both `serverinfo` and `serverInfo`) and the authentication shared by all handlers.
struct Routes: Sendable {
    let state: EmulatorState

    func classic(_ call: Call) throws(EmulatorError) -> Reply {
        let s = call.segments.map { $0.lowercased() }
        let method = call.method.rawValue
        func only(_ allowed: String) throws(EmulatorError) {
            guard method == allowed else { throw .methodNotAllowed(method, call.path) }
        }
        switch (s.first, s.count) {
        case ("serverinfo", 1):
            try only("GET")
            return serverInfo()
        case ("auth", 2):
            try only("POST")
            switch s[1] {
            case "signin": return try signIn(call)
            case "signout": return try signOut(call)
            case "switchsite": return try switchSite(call)
            default: throw .unknownResource(call.path)
            }
        case ("sessions", 2) where s[1] == "current":
            try only("GET")
            return try currentSession(call)
        case ("schedules", 1):
            try only("GET")
            return try listSchedules(call)
        case ("schedules", 2):
            try only("GET")
            return try getSchedule(call, id: call.segments[1])
        case ("sites", 1):
            try only("GET")
            return try listSites(call)
        case ("sites", 2):
            try only("GET")
            return try getSite(call, key: call.segments[1])
        case ("sites", _):
            return try siteScoped(call, s: s)
        default:
            throw .unknownResource(call.path)
        }
    }

    private func siteScoped(_ call: Call, s: [String]) throws(EmulatorError) -> Reply {
        let siteId = call.segments[1]
        let method = call.method.rawValue
        let rest = Array(s.dropFirst(2))
        let id = call.segments.count > 3 ? call.segments[3] : ""
        switch (rest.first, rest.count, method) {
        case ("projects", 1, "GET"): return try listProjects(call, siteId: siteId)
        case ("workbooks", 1, "GET"): return try listContent(.workbook, call, siteId: siteId)
        case ("workbooks", 2, "GET"): return try getContent(.workbook, call, siteId: siteId, id: id)
        case ("workbooks", 3, "POST") where rest[2] == "refresh": return try refresh(.workbook, call, siteId: siteId, id: id)
        case ("workbooks", 3, "GET") where rest[2] == "views": return try workbookViews(call, siteId: siteId, id: id)
        case ("workbooks", 3, "GET") where rest[2] == "connections": return try listConnections(.workbook, call, siteId: siteId, id: id)
        case ("workbooks", 3, "GET") where rest[2] == "revisions": return try listRevisions(.workbook, call, siteId: siteId, id: id)
        case ("schedules", 3, "GET") where rest[2] == "extracts": return try scheduleExtracts(call, siteId: siteId, id: id)
        case ("views", 1, "GET"): return try listViews(call, siteId: siteId)
        case ("views", 2, "GET"): return try getView(call, siteId: siteId, id: id)
        case ("dataqualitywarnings", _, _): return try qualityWarnings(call, siteId: siteId, rest: Array(call.segments.dropFirst(3)))
        case ("datasources", 1, "GET"): return try listContent(.datasource, call, siteId: siteId)
        case ("datasources", 2, "GET"): return try getContent(.datasource, call, siteId: siteId, id: id)
        case ("datasources", 3, "POST") where rest[2] == "refresh": return try refresh(.datasource, call, siteId: siteId, id: id)
        case ("datasources", 3, "GET") where rest[2] == "connections": return try listConnections(.datasource, call, siteId: siteId, id: id)
        case ("datasources", 3, "GET") where rest[2] == "revisions": return try listRevisions(.datasource, call, siteId: siteId, id: id)
        case ("datasources", 4, "PUT") where rest[2] == "connections":
            return try updateConnection(call, siteId: siteId, id: id, connectionId: call.segments[5])
        case ("jobs", 1, "GET"): return try listJobs(call, siteId: siteId)
        case ("jobs", 2, "GET"): return try getJob(call, siteId: siteId, id: id)
        case ("jobs", 2, "PUT"): return try cancelJob(call, siteId: siteId, id: id)
        case ("tasks", 2, "GET") where rest[1] == "extractrefreshes": return try listTasks(call, siteId: siteId)
        case ("tasks", 3, "GET") where rest[1] == "extractrefreshes":
            return try getTask(call, siteId: siteId, id: call.segments[4])
        case ("tasks", 4, "POST") where rest[1] == "extractrefreshes" && rest[3] == "runnow":
            return try runTask(call, siteId: siteId, id: call.segments[4])
        case ("users", 1, "GET"): return try listUsers(call, siteId: siteId)
        case ("users", 1, "POST"): return try addUser(call, siteId: siteId)
        case ("users", 2, "GET"): return try getUser(call, siteId: siteId, id: id)
        case ("users", 2, "PUT"): return try updateUser(call, siteId: siteId, id: id)
        case ("users", 2, "DELETE"): return try removeUser(call, siteId: siteId, id: id)
        case ("webhooks", 1, "GET"): return try listWebhooks(call, siteId: siteId)
        case ("webhooks", 1, "POST"): return try createWebhook(call, siteId: siteId)
        case ("webhooks", 2, "GET"): return try getWebhook(call, siteId: siteId, id: id)
        case ("webhooks", 2, "DELETE"): return try deleteWebhook(call, siteId: siteId, id: id)
        case ("projects", 1, _), ("workbooks", 1...3, _), ("datasources", 1...4, _), ("views", 1...2, _), ("jobs", 1...2, _), ("users", 1...2, _),
            ("webhooks", 1...2, _), ("tasks", 2...4, _):
            throw .methodNotAllowed(method, call.path)
        default:
            throw .unknownResource(call.path)
        }
    }

    // MARK: Authentication

    /// The caller's session, or 401: no token → 401000, unknown or expired token → 401002.
    func authenticate(_ call: Call, in world: inout World, now: Date) throws(EmulatorError) -> Session {
        guard let token = call.authToken else { throw .missingCredentials }
        guard let session = world.sessions[token] else { throw .invalidCredentials }
        guard session.expiresAt > now else {
            _ = world.revoke(token: token, patName: nil)
            throw .invalidCredentials
        }
        let revoke = state.faults.withLock { runtime -> Bool in
            runtime.authenticatedRequests += 1
            guard let every = runtime.settings.revokeSessionEvery else { return false }
            return runtime.authenticatedRequests % every == 0
        }
        if revoke {
            _ = world.revoke(token: token, patName: nil)
            throw .invalidCredentials
        }
        return session
    }

    /// The session and the index of the site in the path, which must be the session's site.
    func authenticate(
        _ call: Call, siteId: String, in world: inout World, now: Date, scope: String? = nil
    ) throws(EmulatorError) -> (Session, Int) {
        let session = try authenticate(call, in: &world, now: now)
        guard let index = world.siteIndex(id: siteId) else {
            throw .notFound("404000", "Site '\(siteId)' could not be found.")
        }
        guard session.siteId == siteId else {
            let user = world.sites.first { $0.id == session.siteId }?.users[session.userId]?.name ?? session.userId
            throw .forbidden("User '\(user)' is authenticated for site '\(session.siteId)' and may not access or modify resources on site '\(siteId)'.")
        }
        if let scope, !session.allows(scope) {
            throw .forbidden("The connected app token does not grant the scope '\(scope)' this method requires.", code: "403004")
        }
        return (session, index)
    }

    /// The signed-in user, who must be a site (or server) administrator.
    func requireAdministrator(_ session: Session, site: Site, action: String) throws(EmulatorError) -> User {
        guard let user = site.users[session.userId] else { throw .invalidCredentials }
        guard SiteRole.administrators.contains(user.siteRole) else {
            throw .forbidden("User '\(user.name)' (site role \(user.siteRole)) does not have permission to \(action). Only server and site administrators can call this method.")
        }
        return user
    }

    /// `http://host:port` of this request, for `webpageUrl`.
    func webBase(_ call: Call) -> String {
        "http://" + (call.authority ?? "localhost")
    }

    static func newToken(siteId: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        func random(_ count: Int) -> String { String((0..<count).map { _ in alphabet.randomElement()! }) }
        return random(22) + "|" + random(32) + "|" + siteId
    }
}
