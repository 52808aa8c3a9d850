import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import FreshetServer
import NIOHTTP1

/// `freshet freshness …`: how fresh each item is, and the policies that decide when it is stale.
struct FreshnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshness",
        abstract: "Show how fresh every refreshed item is; set freshness policies.",
        discussion: """
            For every data source and workbook Freshet has refreshed: its last successful refresh, its \
            age, its last failure and Tableau's reason. An item is stale when its last refresh failed, \
            when it never succeeded, or when it is older than the maximum age of its policy (the most \
            specific of item, project, connection).

            Examples:
              freshet freshness                              # a table of every item
              freshet freshness --connection prod --stale    # only stale items of one connection
              freshet freshness --project Finance --json
              freshet freshness policy set --connection prod --project Finance --max-age 6h
              freshet freshness policy set --connection prod --datasource "Sales" --max-age 90m
              freshet freshness policy list
              freshet freshness policy remove --connection prod --project Finance
              freshet freshness policy apply policies.json   # replace every policy with the file's
              freshet freshness warnings enable --connection prod   # Tableau data quality warnings on failures
              freshet freshness warnings list

            With --server URL --token T (or FRESHET_SERVER and FRESHET_TOKEN) they talk to a running \
            `freshet serve` over HTTP instead of the local database (except `policy apply`).

            Exit codes: 0 success (freshness: also when items are stale), 1 with --fail-if-stale when an \
            item is stale, 2 usage or configuration error, 5 server unreachable.
            """,
        subcommands: [Show.self, Policy.self, Warnings.self],
        defaultSubcommand: Show.self
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show every item's freshness (the default).")

        @Option(help: "Only items of this connection (name or id).") var connection: String?
        @Option(help: "Only items of this project.") var project: String?
        @Flag(help: "Only stale items.") var stale = false
        @Flag(help: "Exit 1 when an item shown is stale.") var failIfStale = false
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var views: [APIFreshness] = []
            try await CLI.run {
                if let client = try remote.client() {
                    let query = FreshetAPIClient.query([("connection", connection), ("project", project), ("stale", stale ? "true" : nil)])
                    views = try await client.send(.GET, "/api/v1/freshness" + query, as: RemoteFreshness.Page.self).0.items
                } else {
                    let runtime = try await location.runtime()
                    var query = FreshnessQuery(projectName: project)
                    let connections = try await runtime.store.connections()
                    if let connection {
                        guard let stored = connections.first(where: { $0.connection.name == connection || $0.connection.id == connection }) else {
                            throw StoreError.notFound(connection)
                        }
                        query.connectionId = stored.connection.id
                    }
                    let names = Dictionary(connections.map { ($0.connection.id, $0.connection.name) }, uniquingKeysWith: { first, _ in first })
                    views = try await FreshnessMonitor(store: runtime.store, audit: runtime.store).report(query)
                        .filter { !stale || $0.isStale }.map { try APIFreshness(FreshnessView($0, connection: names[$0.record.connectionId] ?? $0.record.connectionId)) }
                }
                if json { return Output.json(views) }
                if views.isEmpty { return Output.line(stale ? "No stale items." : "No items yet: Freshet tracks the items it has refreshed.") }
                Output.table(
                    ["CONNECTION", "PROJECT", "ITEM", "LAST SUCCESS", "AGE", "MAX AGE", "STATE", "LAST FAILURE"],
                    views.map { view in
                        [
                            view.connection, view.project ?? "-", "\(view.itemType == .workbook ? "workbook" : "data source") \(view.itemName)",
                            view.lastSuccessAt?.ISO8601Format() ?? "never", view.ageSeconds.map { FreshnessText.duration(Double($0)) } ?? "-",
                            view.maxAgeSeconds.map { FreshnessText.duration(Double($0)) } ?? "-",
                            view.stale ? "STALE (\(FreshnessText.reason(view.staleReason?.rawValue)))" : "fresh",
                            view.lastFailureAt.map { "\($0.ISO8601Format()) \(FreshnessText.oneLine(view.lastFailureReason ?? ""))" } ?? "-",
                        ]
                    })
            }
            if failIfStale, views.contains(where: \.stale) { throw ExitCode(1) }
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy", abstract: "Set, list, remove or apply freshness policies (maximum ages).",
            subcommands: [Set.self, List.self, Remove.self, Apply.self])
    }
}

/// Where a policy applies, as command-line options.
struct PolicyScopeOptions: ParsableArguments {
    @Option(help: "The connection (name or id).") var connection: String
    @Option(help: "Every item of this project.") var project: String?
    @Option(help: "One data source (name or Tableau id).") var datasource: String?
    @Option(help: "One workbook (name or Tableau id).") var workbook: String?

    func validate() throws {
        if [project, datasource, workbook].compactMap({ $0 }).count > 1 {
            throw ValidationError("Give at most one of --project, --datasource and --workbook")
        }
    }

    var target: FreshnessPolicyTarget {
        FreshnessPolicyTarget(
            connection: connection, project: project, itemType: datasource != nil ? "datasource" : workbook != nil ? "workbook" : nil,
            item: datasource ?? workbook)
    }

    var query: String {
        let target = target
        return FreshetAPIClient.query([("connection", target.connection), ("project", target.project), ("itemType", target.itemType), ("item", target.item)])
    }
}

extension FreshnessCommand.Policy {
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the maximum age of a connection's items, a project's or one item's (replacing the one it had).")

        @OptionGroup var scope: PolicyScopeOptions
        @Option(help: "The largest age before an item is stale: 90m, 6h, 1d, 1h30m or seconds.") var maxAge: DurationText
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let seconds = FreshnessText.seconds(maxAge.duration)
                let view: APIFreshnessPolicy
                if let client = try remote.client() {
                    let body = try Components.Schemas.FreshnessPolicySet(target: scope.target, maxAgeSeconds: seconds)
                    view = try await client.send(.PUT, "/api/v1/freshness/policies", body: body, as: APIFreshnessPolicy.self).0
                } else {
                    let runtime = try await location.runtime()
                    let policy = try await FreshnessPolicyService(store: runtime.store, connections: runtime.store, audit: runtime.store)
                        .set(scope.target, maxAgeSeconds: seconds, actor: Output.actor)
                    view = try APIFreshnessPolicy(FreshnessPolicyView(policy, connection: scope.connection))
                }
                if json { return Output.json(view) }
                Output.line("Freshness policy set: \(FreshnessText.scope(view)) may be at most \(FreshnessText.duration(Double(view.maxAgeSeconds))) old.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every freshness policy.")

        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let views: [APIFreshnessPolicy]
                if let client = try remote.client() {
                    views = try await client.send(.GET, "/api/v1/freshness/policies", as: RemoteFreshness.Policies.self).0.policies
                } else {
                    let runtime = try await location.runtime()
                    let names = Dictionary(try await runtime.store.connections().map { ($0.connection.id, $0.connection.name) }, uniquingKeysWith: { a, _ in a })
                    views = try await runtime.store.freshnessPolicies().map {
                        try APIFreshnessPolicy(FreshnessPolicyView($0, connection: names[$0.scope.connectionId] ?? $0.scope.connectionId))
                    }
                }
                if json { return Output.json(views) }
                if views.isEmpty { return Output.line("No freshness policies: items are stale only when their last refresh failed.") }
                Output.table(
                    ["APPLIES TO", "MAX AGE", "SET BY", "SET AT"],
                    views.map { [FreshnessText.scope($0), FreshnessText.duration(Double($0.maxAgeSeconds)), $0.setBy, $0.setAt.ISO8601Format()] })
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the policy of a connection, project or item.")

        @OptionGroup var scope: PolicyScopeOptions
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer

        func run() async throws {
            try await CLI.run {
                if let client = try remote.client() {
                    _ = try await client.send(.DELETE, "/api/v1/freshness/policies" + scope.query, as: RemoteFreshness.Removed.self)
                } else {
                    let runtime = try await location.runtime()
                    let removed = try await FreshnessPolicyService(store: runtime.store, connections: runtime.store, audit: runtime.store)
                        .remove(scope.target, actor: Output.actor)
                    guard removed else { throw StoreError(.notFound, "No freshness policy is set there") }
                }
                Output.line("Freshness policy removed.")
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace every freshness policy with those of a JSON file (local database only).",
            discussion: """
                The file: {"policies": [{"connection": "prod", "maxAge": "1d"}, {"connection": "prod", "project": "Finance", \
                "maxAge": "6h"}, {"connection": "prod", "datasource": "Sales", "maxAge": "90m"}]}. Policies not in the file \
                are removed; a bad entry changes nothing.
                """)

        @Argument(help: "The policy file (JSON).") var file: String
        @OptionGroup var location: DataLocation

        func run() async throws {
            try await CLI.run {
                let entries = try FreshnessPolicyFile.read(URL(fileURLWithPath: file))
                let runtime = try await location.runtime()
                let policies = try await FreshnessPolicyService(store: runtime.store, connections: runtime.store, audit: runtime.store)
                    .replaceAll(entries, actor: Output.actor)
                Output.line("Applied \(policies.count) freshness \(policies.count == 1 ? "policy" : "policies") from \(file).")
            }
        }
    }
}

extension FreshnessCommand {
    struct Warnings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn Tableau data quality warnings on failures on or off per connection; list the warnings Freshet set.",
            discussion: """
                With warnings on, a data source whose refresh failed, or that a failed pipeline feeds, carries one \
                STALE data quality warning set by Freshet until the cause clears (a stale workbook warns its \
                published data sources). Warnings Freshet did not set are never touched. `freshet serve` keeps \
                them in step every FRESHET_WARNING_INTERVAL seconds (default 1).
                """,
            subcommands: [Enable.self, Disable.self, List.self])

        struct Enable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Turn warnings on for a connection.")
            @Option(help: "The connection (name or id).") var connection: String
            @OptionGroup var location: DataLocation
            @OptionGroup var remote: RemoteServer

            func run() async throws { try await Warnings.set(connection, enabled: true, location: location, remote: remote) }
        }

        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Turn warnings off for a connection (Freshet's warnings are removed).")
            @Option(help: "The connection (name or id).") var connection: String
            @OptionGroup var location: DataLocation
            @OptionGroup var remote: RemoteServer

            func run() async throws { try await Warnings.set(connection, enabled: false, location: location, remote: remote) }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the connections with warnings on and the warnings Freshet set.")
            @OptionGroup var location: DataLocation
            @OptionGroup var remote: RemoteServer
            @Flag(help: "Print JSON.") var json = false

            func run() async throws {
                try await CLI.run {
                    let listing: RemoteFreshness.Warnings
                    if let client = try remote.client() {
                        listing = try await client.send(.GET, "/api/v1/quality-warnings", as: RemoteFreshness.Warnings.self).0
                    } else {
                        let store = try await location.runtime().store
                        let names = Dictionary(try await store.connections().map { ($0.connection.id, $0.connection.name) }, uniquingKeysWith: { a, _ in a })
                        listing = RemoteFreshness.Warnings(
                            connections: try await store.warningConnections().map { names[$0] ?? $0 }.sorted(),
                            warnings: try await store.freshetWarnings(connectionId: nil).map(APIQualityWarning.init))
                    }
                    if json { return Output.json(listing) }
                    Output.line("Warnings on for: " + (listing.connections.isEmpty ? "no connection" : listing.connections.joined(separator: ", ")))
                    if !listing.warnings.isEmpty {
                        Output.table(
                            ["DATA SOURCE", "WARNING", "SET AT", "MESSAGE"],
                            listing.warnings.map { [$0.datasourceName, $0.warningId ?? "(being set)", $0.createdAt.ISO8601Format(), FreshnessText.oneLine($0.message)] })
                    }
                }
            }
        }

        static func set(_ connection: String, enabled: Bool, location: DataLocation, remote: RemoteServer) async throws {
            try await CLI.run {
                if let client = try remote.client() {
                    _ = try await client.send(
                        .PUT, "/api/v1/quality-warnings/connections/\(FreshetAPIClient.segment(connection))", body: RemoteFreshness.SettingBody(enabled: enabled),
                        as: RemoteFreshness.Setting.self)
                } else {
                    let runtime = try await location.runtime()
                    guard let stored = try await runtime.store.connection(nameOrId: connection) else {
                        throw StoreError.notFound(connection)
                    }
                    try await runtime.store.setWarnings(connectionId: stored.connection.id, enabled: enabled, actor: Output.actor, now: Date())
                    try await runtime.store.append(
                        AuditEvent(actor: Output.actor, action: enabled ? "warnings.enabled" : "warnings.disabled", target: stored.connection.name, outcome: "success"))
                }
                Output.line("Data quality warnings \(enabled ? "on" : "off") for \(connection).")
            }
        }
    }
}
