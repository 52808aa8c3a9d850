extension TableauClient {
    /// Creates a webhook for `event` (e.g. "DatasourceRefreshFailed") posting to `url`.
    public func createWebhook(name: String, event: String, url: String) async throws(TableauError) -> Webhook {
        let body: [String: Any] = [
            "webhook": [
                "name": name, "event": event, "isEnabled": "true",
                "webhook-destination": ["webhook-destination-http": ["method": "POST", "url": url]],
            ] as [String: Any]
        ]
        let json = try await sendJSON("POST", .site("webhooks"), json: body)
        guard let hook = json["webhook"].flatMap(Webhook.init(json:)) else { throw .invalidResponse("the answer carried no webhook") }
        return hook
    }

    public func webhooks() async throws(TableauError) -> [Webhook] {
        try await sendJSON("GET", .site("webhooks")).list("webhooks", "webhook").compactMap(Webhook.init(json:))
    }

    public func deleteWebhook(id: String) async throws(TableauError) {
        _ = try await send("DELETE", .site("webhooks/\(id)"))
    }
}
