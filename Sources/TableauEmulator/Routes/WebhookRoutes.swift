import Foundation

extension Routes {
    static let webhookEvents: Set<String> = [
        "DatasourceRefreshStarted", "DatasourceRefreshSucceeded", "DatasourceRefreshFailed", "WorkbookRefreshStarted",
        "WorkbookRefreshSucceeded", "WorkbookRefreshFailed", "DatasourceCreated", "DatasourceUpdated", "DatasourceDeleted",
        "WorkbookCreated", "WorkbookUpdated", "WorkbookDeleted", "ViewDeleted", "UserDeleted", "AdminPromoted", "AdminDemoted",
    ]

    func listWebhooks(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:webhooks:read")
            _ = try requireAdministrator(session, site: world.sites[index], action: "manage webhooks")
            return .ok(.list("webhooks", world.sites[index].webhooks.items.map(ItemElements.webhook)))
        }
    }

    func getWebhook(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:webhooks:read")
            _ = try requireAdministrator(session, site: world.sites[index], action: "manage webhooks")
            guard let hook = world.sites[index].webhooks[id] else { throw .notFound("404000", "Webhook '\(id)' could not be found.") }
            return .ok(ItemElements.webhook(hook))
        }
    }

    /// Create Webhook: the event comes from `event` (PascalCase) or the older `webhook-source` child.
    func createWebhook(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let document = try call.document()
        guard let fields = document.child("webhook"), let name = fields["name"], !name.isEmpty else {
            throw .badRequest("Payload is either malformed or incomplete: the webhook element needs a name.")
        }
        var event = fields["event"]
        if event == nil, let source = fields.child("webhook-source")?.children.first?.name {
            event = Routes.webhookEvents.first { ItemElements.sourceEventName($0) == source }
        }
        guard let event, Routes.webhookEvents.contains(event) else {
            throw .badRequest("The webhook event is missing or not one of: \(Routes.webhookEvents.sorted().joined(separator: ", ")).")
        }
        guard let url = fields.at("webhook-destination.webhook-destination-http")?["url"], let parsed = URL(string: url),
            let scheme = parsed.scheme?.lowercased(), scheme == "https" || (scheme == "http" && Routes.isLoopback(parsed.host))
        else {
            throw .badRequest("The webhook destination must be an https URL (http is accepted for loopback hosts only).")
        }
        let enabled = fields["isEnabled"].map { $0.lowercased() != "false" } ?? true
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:webhooks:create")
            _ = try requireAdministrator(session, site: world.sites[index], action: "manage webhooks")
            let hook = Webhook(
                id: UUID().uuidString.lowercased(), name: name, event: event, url: url, isEnabled: enabled, ownerId: session.userId,
                createdAt: now
            )
            world.sites[index].webhooks.append(hook)
            return .status(201, ItemElements.webhook(hook))
        }
    }

    func deleteWebhook(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:webhooks:delete")
            _ = try requireAdministrator(session, site: world.sites[index], action: "manage webhooks")
            guard world.sites[index].webhooks[id] != nil else { throw .notFound("404000", "Webhook '\(id)' could not be found.") }
            world.sites[index].webhooks.remove(id)
            return .noContent
        }
    }

    static func isLoopback(_ host: String?) -> Bool {
        guard let host = host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
