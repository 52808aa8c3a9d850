import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import FreshetServer
import NIOHTTP1

/// `freshet alerts …`: where alerts go, and what the outbox delivered, retries or gave up.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Route alerts (failed refreshes, stale items, recoveries) to webhooks and Slack; inspect the outbox.",
        discussion: """
            Alerts are written to a durable outbox in the same transaction as the run's end (or the stale \
            transition) and delivered at least once to every matching route, retried with backoff and \
            dead-lettered after FRESHET_ALERT_MAX_ATTEMPTS (default 10). Each carries its event id \
            (X-Freshet-Event-Id) for deduplication. Generic webhooks are signed like access events \
            (X-Freshet-Timestamp, X-Freshet-Signature: sha256=HMAC of "<timestamp>.<body>"). See docs/alerts.md.

            Examples:
              freshet alerts route add ops --format webhook --url https://ops.example.com/freshet
              freshet alerts route add finance-slack --format slack --url https://hooks.slack.com/services/T0/B0/XXXX --connection prod --project Finance
              freshet alerts route list
              freshet alerts list --status dead
              freshet alerts retry 6F1C…
              freshet alerts route remove ops
            """,
        subcommands: [List.self, Retry.self, Route.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List outbox deliveries, newest first (the default).")

        @Option(help: "Only pending, delivered or dead deliveries.") var status: String?
        @Option(help: "How many.") var limit = 50
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if let status, AlertDelivery.Status(rawValue: status) == nil { throw ValidationError("--status must be pending, delivered or dead") }
        }

        func run() async throws {
            try await CLI.run {
                let views: [APIAlertDelivery]
                if let client = try remote.client() {
                    let query = FreshetAPIClient.query([("status", status), ("limit", String(min(max(limit, 1), 1000)))])
                    views = try await client.send(.GET, "/api/v1/alerts/deliveries" + query, as: RemoteAlerts.Deliveries.self).0.deliveries
                } else {
                    let query = AlertDeliveryQuery(status: status.flatMap(AlertDelivery.Status.init(rawValue:)), limit: limit)
                    views = try await location.runtime().store.alertDeliveries(query).map { try APIAlertDelivery(AlertDeliveryView($0)) }
                }
                if json { return Output.json(views) }
                if views.isEmpty { return Output.line("No alert deliveries.") }
                Output.table(
                    ["DELIVERY", "CREATED", "ROUTE", "EVENT", "STATUS", "ATTEMPTS", "LAST ERROR"],
                    views.map {
                        [$0.id, $0.createdAt.ISO8601Format(), $0.route, "\($0.kind): \($0.summary)", $0.status.rawValue, String($0.attempts), $0.lastError ?? "-"]
                    })
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a dead-lettered delivery again.")

        @Argument(help: "The delivery id.") var id: String
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer

        func run() async throws {
            try await CLI.run {
                if let client = try remote.client() {
                    _ = try await client.send(.POST, "/api/v1/alerts/deliveries/\(FreshetAPIClient.segment(id))/retry", as: RemoteAlerts.Requeued.self)
                } else {
                    let runtime = try await location.runtime()
                    try await AlertRouteService(store: runtime.store, connections: runtime.store, audit: runtime.store, keyring: runtime.keyring)
                        .retry(id, actor: Output.actor)
                }
                Output.line("Delivery \(id) queued again.")
            }
        }
    }

    struct Route: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list or remove alert routes.", subcommands: [Add.self, List.self, Remove.self])
    }
}

extension AlertsCommand.Route {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a route: a signed JSON webhook or a Slack incoming webhook, for every event or only some.",
            discussion: "A webhook's signing secret is read from FRESHET_ALERT_SECRET when set, else made and printed once.")

        @Argument(help: "The route's name.") var name: String
        @Option(help: "webhook (signed JSON) or slack (incoming webhook).") var format: String
        @Option(help: "The destination URL (https; http only to a loopback host).") var url: String
        @Option(help: "Only events of this connection (name or id).") var connection: String?
        @Option(help: "Only events of this project.") var project: String?
        @Option(help: "Only these kinds (repeatable): run.failed, run.recovered, freshness.stale, freshness.recovered, …") var kind: [String] = []
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if AlertRoute.Format(rawValue: format) == nil { throw ValidationError("--format must be webhook or slack") }
        }

        func run() async throws {
            try await CLI.run {
                let secret = ProcessInfo.processInfo.environment["FRESHET_ALERT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
                let added: APIAlertRouteAdded
                if let client = try remote.client() {
                    let body = Components.Schemas.AlertRouteCreate(
                        name: name, format: try .init(api: format), url: url, secret: format == "webhook" ? secret : nil, connection: connection,
                        project: project, kinds: kind)
                    added = try await client.send(.POST, "/api/v1/alerts/routes", body: body, as: APIAlertRouteAdded.self).0
                } else {
                    let runtime = try await location.runtime()
                    let draft = AlertRouteDraft(
                        name: name, format: AlertRoute.Format(rawValue: format)!, url: url, secret: format == "webhook" ? secret : nil, connection: connection,
                        project: project, kinds: kind)
                    let (route, shown) = try await AlertRouteService(store: runtime.store, connections: runtime.store, audit: runtime.store, keyring: runtime.keyring)
                        .add(draft, actor: Output.actor)
                    added = APIAlertRouteAdded(route: try APIAlertRoute(AlertRouteView(route)), secret: shown)
                }
                if json { return Output.json(added) }
                Output.line("Alert route \(added.route.name) added (\(added.route.format.rawValue) to \(added.route.url)).")
                if let shown = added.secret, secret == nil {
                    Output.line("Signing secret (shown only now; verify X-Freshet-Signature with it):")
                    Output.line("  \(shown)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List alert routes.")

        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let views: [APIAlertRoute]
                if let client = try remote.client() {
                    views = try await client.send(.GET, "/api/v1/alerts/routes", as: RemoteAlerts.Routes.self).0.routes
                } else {
                    views = try await location.runtime().store.alertRoutes().map { try APIAlertRoute(AlertRouteView($0)) }
                }
                if json { return Output.json(views) }
                if views.isEmpty { return Output.line("No alert routes: alerts are recorded nowhere until one is added.") }
                Output.table(
                    ["NAME", "FORMAT", "URL", "CONNECTION", "PROJECT", "KINDS"],
                    views.map { [$0.name, $0.format.rawValue, $0.url, $0.connectionId ?? "any", $0.project ?? "any", $0.kinds.isEmpty ? "all" : $0.kinds.joined(separator: ",")] })
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an alert route (its pending deliveries are dead-lettered).")

        @Argument(help: "The route's name.") var name: String
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer

        func run() async throws {
            try await CLI.run {
                if let client = try remote.client() {
                    _ = try await client.send(.DELETE, "/api/v1/alerts/routes/\(FreshetAPIClient.segment(name))", as: RemoteAlerts.Removed.self)
                } else {
                    let runtime = try await location.runtime()
                    try await AlertRouteService(store: runtime.store, connections: runtime.store, audit: runtime.store, keyring: runtime.keyring)
                        .remove(name, actor: Output.actor)
                }
                Output.line("Alert route \(name) removed.")
            }
        }
    }
}

/// The alerts answers of the API, generated from openapi.yaml.
enum RemoteAlerts {
    typealias Deliveries = Operations.GetApiV1AlertsDeliveries.Output.Ok.Body.JsonPayload
    typealias Routes = Operations.GetApiV1AlertsRoutes.Output.Ok.Body.JsonPayload
    typealias Requeued = Operations.PostApiV1AlertsDeliveriesIdRetry.Output.Ok.Body.JsonPayload
    typealias Removed = Operations.DeleteApiV1AlertsRoutesName.Output.Ok.Body.JsonPayload
}
