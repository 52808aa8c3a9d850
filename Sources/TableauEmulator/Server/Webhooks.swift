import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A webhook payload as Tableau sends it (REST-API.md §13).
struct WebhookPayload: Sendable {
    var resource: String
    var eventType: String
    var resourceName: String
    var siteLuid: String
    var resourceLuid: String
    var createdAt: String

    init(event: JobEvent, eventName: String) {
        resource = event.job.kind.webhookResource
        eventType = eventName
        resourceName = event.job.itemName
        siteLuid = event.job.siteId
        resourceLuid = event.job.itemId
        createdAt = TableauDate.format(event.at)
    }

    var json: String {
        var out = "{"
        let pairs = [
            ("resource", resource), ("event_type", eventType), ("resource_name", resourceName), ("site_luid", siteLuid),
            ("resource_luid", resourceLuid), ("created_at", createdAt),
        ]
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += "," }
            JSONRendering.writeKey(pair.0, into: &out)
            JSONRendering.writeString(pair.1, into: &out)
        }
        return out + "}"
    }
}

/// One attempted webhook delivery, as `GET /_emulator/webhook-deliveries` reports it.
public struct WebhookDelivery: Codable, Sendable {
    public var webhookId: String
    public var url: String
    public var eventType: String
    public var payload: String
    /// HTTP status of the destination's answer; nil when it could not be reached.
    public var status: Int?
    public var error: String?
}

/// Posts webhook payloads with AsyncHTTPClient.
struct WebhookDispatcher: Sendable {
    let logger: Logger

    func deliver(_ payload: WebhookPayload, to hook: Webhook) -> @Sendable () async -> WebhookDelivery {
        let body = payload.json
        let logger = logger
        return {
            var record = WebhookDelivery(webhookId: hook.id, url: hook.url, eventType: payload.eventType, payload: body)
            // An emulator never posts beyond this machine, whatever destination a client registered.
            guard Routes.isLoopback(URL(string: hook.url)?.host) else {
                record.error = "not delivered: the emulator delivers webhooks to loopback hosts only"
                return record
            }
            do {
                var request = HTTPClientRequest(url: hook.url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "Tableau-Webhooks")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 1 << 20)
                record.status = Int(response.status.code)
            } catch {
                record.error = "\(error)"
                logger.debug("webhook delivery failed", metadata: ["url": "\(hook.url)"])
            }
            return record
        }
    }
}
