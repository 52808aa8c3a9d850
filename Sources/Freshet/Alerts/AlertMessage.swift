package import Foundation

/// What a message says beyond the event: names Freshet looks up when it sends.
package struct AlertContext: Sendable, Equatable {
    /// The connection's name and Tableau site (content URL; "" is the Default site).
    package var connectionName: String?
    package var site: String?
    /// Freshet's public base URL (`FRESHET_PUBLIC_URL`), for run links; nil leaves links out.
    package var publicURL: String?

    package init(connectionName: String? = nil, site: String? = nil, publicURL: String? = nil) {
        self.connectionName = connectionName
        self.site = site
        self.publicURL = publicURL
    }

    /// The run's link in the web console, when a public URL is known.
    func runURL(_ runId: String?) -> String? {
        guard let runId, let publicURL else { return nil }
        return publicURL.hasSuffix("/") ? publicURL + "runs/" + runId : publicURL + "/runs/" + runId
    }
}

/// The bodies Freshet sends: the generic webhook's JSON (docs/alerts.md) and Slack's
/// incoming-webhook message (`text` plus `blocks`).
package enum AlertMessage {
    /// The generic webhook body.
    package struct WebhookBody: Sendable, Equatable, Codable {
        package struct Connection: Sendable, Equatable, Codable {
            package var id: String
            package var name: String?
            package var site: String?
        }

        package struct Item: Sendable, Equatable, Codable {
            package var type: String
            package var id: String
            package var name: String
        }

        /// The event id: the same in every delivery of one event (deduplicate on it).
        package var id: String
        package var type: String
        package var occurredAt: Date
        package var summary: String
        package var reason: String?
        package var failureClass: String?
        package var connection: Connection?
        package var project: String?
        package var item: Item?
        package var runId: String?
        package var runUrl: String?
        package var details: [String: String]
    }

    /// `event` as the generic webhook's JSON body (sorted keys, ISO 8601 dates).
    package static func webhook(_ event: AlertEvent, context: AlertContext) -> [UInt8] {
        let body = WebhookBody(
            id: event.id, type: event.kind, occurredAt: event.occurredAt, summary: event.summary, reason: event.reason, failureClass: event.failureClass,
            connection: event.connectionId.map { WebhookBody.Connection(id: $0, name: context.connectionName, site: context.site) }, project: event.project,
            item: event.item.map { WebhookBody.Item(type: $0.contentType.rawValue, id: $0.tableauId, name: $0.name) }, runId: event.runId,
            runUrl: context.runURL(event.runId), details: event.details)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array((try? encoder.encode(body)) ?? Data("{}".utf8))
    }

    /// `event` as a Slack incoming-webhook message: `text` (the notification's fallback) and
    /// `blocks` (a section with the summary and reason, fields for site, item, class and run).
    package static func slack(_ event: AlertEvent, context: AlertContext) -> [UInt8] {
        let icon = event.kind == AlertEvent.Kind.runRecovered || event.kind == AlertEvent.Kind.itemRecovered ? ":white_check_mark:" : ":warning:"
        var fields: [[String: String]] = []
        func field(_ title: String, _ value: String?) {
            if let value, !value.isEmpty { fields.append(["type": "mrkdwn", "text": "*\(title)*\n\(escape(value))"]) }
        }
        let site = context.site.map { $0.isEmpty ? "Default" : $0 }
        field("Site", [context.connectionName, site.map { "site \($0)" }].compactMap { $0 }.joined(separator: ", "))
        field("Item", event.item.map { "\($0.contentType.noun) \($0.name)" + (event.project.map { " (project \($0))" } ?? "") })
        field("Failure class", event.failureClass)
        if let url = context.runURL(event.runId) { fields.append(["type": "mrkdwn", "text": "*Run*\n<\(url)|\(escape(event.runId ?? ""))>"]) }
        else { field("Run", event.runId) }
        var text = "\(icon) *\(escape(event.summary))*"
        if let reason = event.reason { text += "\n" + escape(String(reason.prefix(2500))) }
        var blocks: [[String: Any]] = [["type": "section", "text": ["type": "mrkdwn", "text": text]]]
        if !fields.isEmpty { blocks.append(["type": "section", "fields": Array(fields.prefix(10))]) }
        blocks.append(["type": "context", "elements": [["type": "mrkdwn", "text": "Freshet event \(escape(event.id)) · \(escape(event.kind))"]]])
        let fallback = event.summary + (event.reason.map { ": " + String($0.prefix(500)) } ?? "")
        let message: [String: Any] = ["text": fallback, "blocks": blocks]
        return Array((try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }

    /// `text` with Slack's control characters escaped (&, <, >).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
