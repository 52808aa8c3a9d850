import Foundation

/// Query Data Source / Workbook Connections, Update Data Source Connection and revisions.
extension Routes {
    func listConnections(_ kind: ContentKind, _ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            try requireContentRead(session, kind: kind)
            guard let item = world.sites[index].content(kind)[id] else { throw Routes.contentNotFound(kind, id) }
            return .ok(.list("connections", item.connections.map(ItemElements.connection)))
        }
    }

    /// Update Data Source Connection: `serverAddress`, `serverPort`, `userName`, `password`,
    /// `embedPassword`, `queryTaggingEnabled`; answers the updated connection. Owners and administrators only.
    func updateConnection(_ call: Call, siteId: String, id: String, connectionId: String) throws(EmulatorError) -> Reply {
        let document = try call.document()
        guard let body = document.child("connection") else {
            throw .badRequest("The request body must hold a connection element.")
        }
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:datasources:update")
            let site = world.sites[index]
            guard var item = site.datasources[id] else { throw Routes.contentNotFound(.datasource, id) }
            guard let user = site.users[session.userId], item.ownerId == user.id || SiteRole.administrators.contains(user.siteRole) else {
                throw .forbidden("Only the owner of data source '\(item.name)' or an administrator may update its connections.")
            }
            guard let position = item.connections.firstIndex(where: { $0.id == connectionId }) else {
                throw .notFound("404000", "Connection '\(connectionId)' could not be found.")
            }
            var connection = item.connections[position]
            if let value = body["serverAddress"] { connection.serverAddress = value }
            if let value = body["serverPort"] {
                guard value.isEmpty || Int(value) != nil else { throw .badRequest("serverPort must be a number, not '\(value)'.") }
                connection.serverPort = value
            }
            if let value = body["userName"] { connection.userName = value }
            if let value = body["embedPassword"] { connection.embedPassword = value.lowercased() == "true" }
            if let value = body["queryTaggingEnabled"] { connection.queryTaggingEnabled = value.lowercased() == "true" }
            item.connections[position] = connection
            item.updatedAt = now
            world.sites[index].updateContent(item)
            return .ok(ItemElements.connection(connection))
        }
    }

    /// Get Data Source / Workbook Revisions: the emulator keeps one revision, the current one.
    func listRevisions(_ kind: ContentKind, _ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let query = try ListQuery(call.query, fields: [])
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            try requireContentRead(session, kind: kind)
            guard let item = world.sites[index].content(kind)[id] else { throw Routes.contentNotFound(kind, id) }
            let revisions = query.pageNumber == 1 ? [ItemElements.revision(item)] : []
            return .ok(query.pagination(total: 1), .list("revisions", revisions))
        }
    }
}
