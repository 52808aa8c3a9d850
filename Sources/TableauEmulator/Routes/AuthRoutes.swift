import Foundation

extension Routes {
    func serverInfo() -> Reply {
        .ok(
            Element("serverInfo", children: [
                Element("productVersion", [Attribute("build", state.build)], text: state.productVersion),
                Element("restApiVersion", text: state.maxVersion.description),
            ])
        )
    }

    func signIn(_ call: Call) throws(EmulatorError) -> Reply {
        let document = try call.document()
        guard let credentials = document.child("credentials") else {
            throw .badRequest("Payload is either malformed or incomplete: the credentials element is missing.")
        }
        let contentUrl = credentials.child("site")?["contentUrl"] ?? ""
        let lifetime = state.sessionLifetime
        let allowReuse = state.allowsJWTReuse
        return try state.withWorld { world, now throws(EmulatorError) in
            guard let siteIndex = world.siteIndex(contentUrl: contentUrl) else { throw .signInError() }
            let site = world.sites[siteIndex]
            var user: User
            var method: Session.Method
            var patName: String?
            var scopes: [String]?
            var remaining: String?
            if let name = credentials["personalAccessTokenName"] {
                guard let pat = world.personalAccessTokens[name], pat.secret == credentials["personalAccessTokenSecret"],
                    pat.expiresAt.map({ $0 > now }) ?? true, let found = site.user(named: pat.userName)
                else { throw .signInError() }
                user = found
                method = .personalAccessToken
                patName = name
                if let expiry = pat.expiresAt {
                    let minutes = Int(expiry.timeIntervalSince(now) / 60)
                    remaining = "\(minutes / 1440):\(String(format: "%02d", minutes % 1440 / 60)):\(String(format: "%02d", minutes % 60))"
                }
            } else if let jwt = credentials["jwt"] {
                let claims = try JWTVerifier.verify(jwt, site: site, now: now, usedIds: allowReuse ? [] : world.usedJWTIds)
                world.usedJWTIds.insert(claims.jwtId)
                guard let found = site.user(named: claims.subject) else { throw .signInError() }
                user = found
                method = .connectedApp
                scopes = claims.scopes
            } else if let name = credentials["name"] {
                guard let found = site.user(named: name), let password = found.password, password == credentials["password"] else {
                    throw .signInError()
                }
                user = found
                method = .password
            } else {
                throw .badRequest("Payload is either malformed or incomplete: give a personal access token, a JWT, or a name and password.")
            }
            guard user.siteRole != "Unlicensed" else { throw .signInError() }
            if let impersonated = credentials.child("user")?["id"] {
                guard user.siteRole == "ServerAdministrator", let target = site.users[impersonated] else {
                    throw .forbidden("Only server administrators can sign in as another user.")
                }
                user = target
            }
            if let patName, let previous = world.patSessions[patName] {
                // Tableau allows one live session per PAT: the earlier one ends now.
                world.sessions[previous] = nil
            }
            let token = Routes.newToken(siteId: site.id)
            world.sessions[token] = Session(
                token: token, siteId: site.id, userId: user.id, method: method, patName: patName, scopes: scopes,
                createdAt: now, expiresAt: now.addingTimeInterval(lifetime)
            )
            if let patName { world.patSessions[patName] = token }
            user.lastLogin = now
            world.sites[siteIndex].users.append(user)
            return .ok(credentialsElement(token: token, site: site, userId: user.id, remaining: remaining))
        }
    }

    private func credentialsElement(token: String, site: Site, userId: String, remaining: String?) -> Element {
        var attributes = [Attribute("token", token)]
        attributes.add("estimatedTimeToExpiration", remaining)
        return Element("credentials", attributes, children: [
            Element("site", [Attribute("id", site.id), Attribute("contentUrl", site.contentUrl)]),
            Element("user", [Attribute("id", userId)]),
        ])
    }

    func signOut(_ call: Call) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            _ = world.revoke(token: session.token, patName: nil)
            return .noContent
        }
    }

    func switchSite(_ call: Call) throws(EmulatorError) -> Reply {
        let document = try call.document()
        guard let contentUrl = document.child("site")?["contentUrl"] else {
            throw .badRequest("Payload is either malformed or incomplete: the site element is missing.")
        }
        let lifetime = state.sessionLifetime
        return try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard let current = world.sites.first(where: { $0.id == session.siteId }), let name = current.users[session.userId]?.name else {
                throw .invalidCredentials
            }
            guard let targetIndex = world.siteIndex(contentUrl: contentUrl) else {
                throw .signInError("Error switching sites: site '\(contentUrl)' could not be found.")
            }
            let target = world.sites[targetIndex]
            guard target.id != current.id else {
                throw .forbidden("User is already signed in to site '\(contentUrl)'.", code: "403070")
            }
            guard let user = target.user(named: name), user.siteRole != "Unlicensed" else {
                throw .signInError("Error switching sites: user '\(name)' is not a member of site '\(contentUrl)'.")
            }
            _ = world.revoke(token: session.token, patName: nil)
            let token = Routes.newToken(siteId: target.id)
            var moved = session
            moved.token = token
            moved.siteId = target.id
            moved.userId = user.id
            moved.createdAt = now
            moved.expiresAt = now.addingTimeInterval(lifetime)
            world.sessions[token] = moved
            if let pat = moved.patName { world.patSessions[pat] = token }
            return .ok(credentialsElement(token: token, site: target, userId: user.id, remaining: nil))
        }
    }

    func currentSession(_ call: Call) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard let site = world.sites.first(where: { $0.id == session.siteId }), let user = site.users[session.userId] else {
                throw .invalidCredentials
            }
            var userAttributes = [
                Attribute("id", user.id), Attribute("name", user.name), Attribute("siteRole", user.siteRole),
                Attribute("externalAuthUserId", ""), Attribute("authSetting", user.authSetting),
            ]
            userAttributes.add("lastLogin", user.lastLogin.map(TableauDate.format))
            return .ok(
                Element("session", children: [
                    Element("site", [Attribute("id", site.id), Attribute("name", site.name), Attribute("contentUrl", site.contentUrl)]),
                    Element("user", userAttributes),
                ])
            )
        }
    }
}
