import Foundation

extension Routes {
    func listUsers(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let query = try ListQuery(call.query, fields: User.queryFields)
        let users = try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:users:read")
            _ = try requireAdministrator(session, site: world.sites[index], action: "list the users of this site")
            return world.sites[index].users.items
        }
        let (page, total) = query.apply(to: users)
        return .ok(query.pagination(total: total), .list("users", page.map { query.select(ItemElements.user($0)) }))
    }

    func getUser(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:users:read")
            let site = world.sites[index]
            if session.userId != id { _ = try requireAdministrator(session, site: site, action: "read other users") }
            guard let user = site.users[id] else { throw Routes.userNotFound(id) }
            return .ok(ItemElements.user(user))
        }
    }

    static func userNotFound(_ id: String) -> EmulatorError {
        .notFound("404002", "User '\(id)' could not be found.")
    }

    static func validateRole(_ role: String) throws(EmulatorError) {
        guard SiteRole.assignable.contains(role) else {
            throw EmulatorError(status: 400, code: "400013", summary: "Invalid site role", detail: SiteRole.invalidRoleDetail)
        }
    }

    func updateUser(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let document = try call.document()
        guard let fields = document.child("user") else { throw .badRequest("Payload is either malformed or incomplete: the user element is missing.") }
        if let role = fields["siteRole"] { try Routes.validateRole(role) }
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:users:update")
            _ = try requireAdministrator(session, site: world.sites[index], action: "update users")
            guard var user = world.sites[index].users[id] else { throw Routes.userNotFound(id) }
            if let role = fields["siteRole"] {
                guard user.siteRole != "ServerAdministrator" else {
                    throw .badRequest("The site role of a server administrator cannot be changed with this method.")
                }
                user.siteRole = role
            }
            if let fullName = fields["fullName"] { user.fullName = fullName }
            if let email = fields["email"] { user.email = email }
            if let password = fields["password"] { user.password = password }
            if let auth = fields["authSetting"] { user.authSetting = auth }
            world.sites[index].users.append(user)
            if user.siteRole == "Unlicensed" { world.sessions = world.sessions.filter { $0.value.userId != user.id } }
            return .ok(
                Element("user", [
                    Attribute("name", user.name), Attribute("fullName", user.fullName), Attribute("email", user.email),
                    Attribute("siteRole", user.siteRole), Attribute("authSetting", user.authSetting),
                ])
            )
        }
    }

    func addUser(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let document = try call.document()
        guard let fields = document.child("user"), let name = fields["name"], !name.isEmpty else {
            throw .badRequest("Payload is either malformed or incomplete: the user element needs a name.")
        }
        let role = fields["siteRole"] ?? "Unlicensed"
        try Routes.validateRole(role)
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:users:create")
            _ = try requireAdministrator(session, site: world.sites[index], action: "add users")
            guard world.sites[index].user(named: name) == nil else {
                throw .conflict("409017", "Conflict", "User '\(name)' is already a member of site '\(world.sites[index].name)'.")
            }
            let user = User(
                id: UUID().uuidString.lowercased(), name: name, fullName: fields["fullName"] ?? name,
                email: fields["email"] ?? (name.contains("@") ? name : ""), siteRole: role,
                authSetting: fields["authSetting"] ?? "ServerDefault", password: nil, lastLogin: nil, createdAt: now
            )
            world.sites[index].users.append(user)
            return .status(
                201,
                Element("user", [
                    Attribute("id", user.id), Attribute("name", user.name), Attribute("siteRole", user.siteRole),
                    Attribute("authSetting", user.authSetting), Attribute("externalAuthUserId", ""),
                ])
            )
        }
    }

    /// Remove User from Site: a user who owns content is not removed but made Unlicensed (409),
    /// unless `mapAssetsTo` names a new owner.
    func removeUser(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let mapTo = call.query["mapAssetsTo"]
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:users:delete")
            _ = try requireAdministrator(session, site: world.sites[index], action: "remove users")
            guard var user = world.sites[index].users[id] else { throw Routes.userNotFound(id) }
            if let mapTo {
                guard let heir = world.sites[index].users[mapTo] else { throw Routes.userNotFound(mapTo) }
                world.sites[index].transferContent(from: id, to: heir.id, toName: heir.name)
            }
            world.sessions = world.sessions.filter { $0.value.userId != id }
            if world.sites[index].ownsContent(id) {
                user.siteRole = "Unlicensed"
                world.sites[index].users.append(user)
                throw .conflict(
                    "409003", "Conflict",
                    "User '\(id)' owns content and cannot be removed from the site; the user's site role has been set to Unlicensed. Reassign the content with mapAssetsTo to remove the user."
                )
            }
            world.sites[index].users.remove(id)
            return .noContent
        }
    }
}
