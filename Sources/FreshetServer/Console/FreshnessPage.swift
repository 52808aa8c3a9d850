import Foundation
import Freshet
import Hummingbird

/// `/freshness`: per item, what `GET /api/v1/freshness` answers — read from the freshness
/// store (last success and its age, last failure with Tableau's reason, a pipeline's reported
/// failure, stale and why, the governing policy) for the items the token may read, filterable by
/// connection, project and stale only — with a small server-rendered SVG chart of the item's
/// recent refreshes (bar height: duration; colour and text: outcome) from its stored runs.
struct FreshnessPage {
    /// How many recent runs are read for the charts, and shown per item.
    static let scanned = 5000
    static let perItem = 20
    let console: Console
    var api: FreshetAPI { console.api }

    struct Row {
        var name: String
        var type: String
        var connection: String
        var project: String?
        var lastSuccess: String?
        var age: String?
        var stale: Bool
        /// "Fresh", or "Stale: last refresh failed" (and since when it was found stale).
        var state: String
        var staleSince: String?
        /// "6 h 0 min (project)", nil without a policy.
        var policy: String?
        var lastFailure: String?
        var failureReason: String?
        /// "nightly_orders failed at …: reason".
        var pipelineFailure: String?
        var chart: String
        var runsPath: String
    }

    struct ConnectionOption {
        var value: String
        var selected: Bool
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("freshness") { request, context in
            let everything = try await RunAuthorization.authorizeReading(request, context, api)
            let token = try context.requireToken()
            let parameters = request.uri.queryParameters
            let connection = FreshnessRoutes.text(parameters, "connection")
            let project = FreshnessRoutes.text(parameters, "project")
            let staleOnly = FreshnessRoutes.text(parameters, "stale") == "true"
            let names = try await ConnectionNames(api)
            var model: [String: Any] = [
                "connection": connection ?? "", "project": project ?? "", "staleOnly": staleOnly,
                "connections": names.all.map { ConnectionOption(value: $0, selected: $0 == connection) },
            ]
            var query = FreshnessQuery(projectName: project)
            var views: [FreshnessView] = []
            if let connection {
                if let id = names.id(of: connection) { query.connectionId = id } else { model["notice"] = "No connection is named \(connection)." }
            }
            if model["notice"] == nil { views = try await FreshnessRoutes.views(query, staleOnly: staleOnly, token: token, everything: everything, api) }
            let runs = try await recentRuns(of: Set(views.map { $0.connectionId + "\u{0}" + $0.itemId }))
            let now = api.now()
            let rows = views.map { Self.row($0, runs: runs[$0.connectionId + "\u{0}" + $0.itemId] ?? [], now: now) }
                .sorted { ($0.stale ? 0 : 1, $0.name.lowercased(), $0.connection) < ($1.stale ? 0 : 1, $1.name.lowercased(), $1.connection) }
            model["items"] = rows
            model["empty"] = rows.isEmpty
            model["filtered"] = connection != nil || project != nil || staleOnly
            model["staleCount"] = rows.filter(\.stale).count
            return console.page("freshness", title: "Freshness", model: model, request: request, context: context, current: "/freshness")
        }
    }

    /// The recent runs (newest first, at most ``perItem``) of each of `keys` (connection id, NUL, Tableau id).
    func recentRuns(of keys: Set<String>) async throws -> [String: [Run]] {
        guard !keys.isEmpty else { return [:] }
        var groups: [String: [Run]] = [:]
        for run in try await api.engine.runs(RunQuery(limit: Self.scanned)) {
            let key = run.connectionId + "\u{0}" + run.item.tableauId
            guard keys.contains(key), groups[key, default: []].count < Self.perItem else { continue }
            groups[key, default: []].append(run)
        }
        return groups
    }

    /// One item's row from its freshness and its recent runs (newest first).
    static func row(_ view: FreshnessView, runs: [Run], now: Date) -> Row {
        let reason = view.staleReason.flatMap(FreshnessStatus.Reason.init(rawValue:))
        return Row(
            name: view.itemName, type: view.itemType == "workbook" ? "workbook" : "data source", connection: view.connection, project: view.project,
            lastSuccess: view.lastSuccessAt.map(RunRowModel.timestamp), age: view.ageSeconds.map { RunRowModel.duration(Double($0)) + " ago" },
            stale: view.stale, state: reason.map { "Stale: " + $0.phrase } ?? (view.stale ? "Stale" : "Fresh"),
            staleSince: view.staleSince.map(RunRowModel.timestamp),
            policy: view.maxAgeSeconds.map { RunRowModel.duration(Double($0)) + (view.policyScope.map { " (\($0))" } ?? "") },
            lastFailure: view.lastFailureAt.map(RunRowModel.timestamp), failureReason: view.lastFailureReason,
            pipelineFailure: view.pipelineFailure.map { failure in
                "\(failure.pipeline) failed at \(RunRowModel.timestamp(failure.at))" + (failure.reason.map { ": " + $0 } ?? "")
            },
            chart: chart(Array(runs.prefix(perItem)).reversed(), name: view.itemName),
            runsPath: "/runs?item=" + FormData.encode(view.itemName))
    }

    /// An SVG bar chart of `runs` (oldest first): one bar per ended run, its height the run's
    /// duration relative to the longest, its class its outcome; unfinished runs as a short grey bar.
    static func chart(_ runs: [Run], name: String) -> String {
        let width = 12, gap = 3, height = 40
        let durations = runs.map { $0.state.isTerminal ? max(0, $0.updatedAt.timeIntervalSince($0.createdAt)) : 0 }
        let longest = max(durations.max() ?? 0, 0.001)
        let succeeded = runs.filter { $0.state == .succeeded }.count
        let failed = runs.filter { $0.state == .failed || $0.state == .timedOut }.count
        let label = "Last \(runs.count) refreshes of \(name): \(succeeded) succeeded, \(failed) failed or timed out"
        var svg = #"<svg class="chart" role="img" width="\#(max(1, runs.count) * (width + gap))" height="\#(height)" viewBox="0 0 \#(max(1, runs.count) * (width + gap)) \#(height)" aria-label="\#(escape(label))">"#
        for (index, run) in runs.enumerated() {
            let barHeight = run.state.isTerminal ? max(3, Int((durations[index] / longest) * Double(height - 2))) : 3
            let state = run.state.rawValue
            let text = "\(state)" + (run.state.isTerminal ? " in \(RunRowModel.duration(durations[index]))" : "") + ", \(RunRowModel.timestamp(run.createdAt))"
            svg += #"<rect class="bar-\#(state)" x="\#(index * (width + gap))" y="\#(height - barHeight)" width="\#(width)" height="\#(barHeight)"><title>\#(escape(text))</title></rect>"#
        }
        return svg + "</svg>"
    }

    /// `text` safe inside HTML/SVG text and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
