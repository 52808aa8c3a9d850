import Foundation
import Freshet
import Hummingbird

/// `/freshness`: per item, its last successful refresh, that refresh's age, and a small
/// server-rendered SVG chart of its recent refreshes (bar height: duration; colour and text:
/// outcome), derived from the stored runs the token may read.
struct FreshnessPage {
    /// How many recent runs are read, and shown per item.
    static let scanned = 5000
    static let perItem = 20
    let console: Console
    var api: FreshetAPI { console.api }

    struct Row {
        var name: String
        var type: String
        var connection: String
        var lastSuccess: String?
        var age: String?
        var stale: Bool
        var chart: String
        var runsPath: String
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("freshness") { request, context in
            let everything = try await RunAuthorization.authorizeReading(request, context, api)
            let token = try context.requireToken()
            let names = try await ConnectionNames(api)
            var groups: [String: [Run]] = [:]
            var order: [String] = []
            for run in try await api.engine.runs(RunQuery(limit: Self.scanned)) {
                if !everything, !(try await RunAuthorization.readable(run, token: token, api)) { continue }
                let key = run.connectionId + "\u{0}" + run.item.tableauId
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(run)
            }
            let now = api.now()
            let rows = order.compactMap { groups[$0] }.map { runs in Self.row(runs, connection: names[runs[0].connectionId], now: now) }
                .sorted { ($0.name.lowercased(), $0.connection) < ($1.name.lowercased(), $1.connection) }
            return console.page("freshness", title: "Freshness", model: ["items": rows, "empty": rows.isEmpty], request: request, context: context, current: "/freshness")
        }
    }

    /// One item's row from its runs, newest first.
    static func row(_ runs: [Run], connection: String, now: Date) -> Row {
        let item = runs[0].item
        let success = runs.first { $0.state == .succeeded }
        let age = success.map { now.timeIntervalSince($0.updatedAt) }
        return Row(
            name: item.name, type: item.contentType == .workbook ? "workbook" : "data source", connection: connection,
            lastSuccess: success.map { RunRowModel.timestamp($0.updatedAt) }, age: age.map { RunRowModel.duration($0) + " ago" },
            stale: age.map { $0 > 86_400 } ?? true, chart: chart(Array(runs.prefix(perItem)).reversed(), name: item.name),
            runsPath: "/runs?item=" + FormData.encode(item.name))
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
