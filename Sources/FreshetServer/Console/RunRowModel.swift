import Foundation
import Freshet

/// A run as the console's tables and pages show it.
struct RunRowModel {
    var id: String
    var path: String
    var itemName: String
    var itemType: String
    var project: String?
    var connection: String
    var target: String
    var state: String
    var finished: Bool
    var actor: String
    var created: String
    var createdISO: String
    var duration: String?
    var jobId: String?
    var notes: String?

    init(_ run: Run, connectionName: String) {
        id = run.id
        path = "/runs/" + FormData.encode(run.id)
        itemName = run.item.name
        itemType = run.item.contentType == .workbook ? "workbook" : "data source"
        project = run.projectName
        connection = connectionName
        target = run.target
        state = run.state.rawValue
        finished = run.state.isTerminal
        actor = run.actor
        created = Self.timestamp(run.createdAt)
        createdISO = run.createdAt.ISO8601Format()
        duration = run.state.isTerminal ? Self.duration(run.updatedAt.timeIntervalSince(run.createdAt)) : nil
        jobId = run.jobId
        notes = run.notes
    }

    /// "2026-11-29 03:24:46 UTC".
    static func timestamp(_ date: Date) -> String {
        String(date.formatted(style).dropLast()) + " UTC"
    }

    /// "3.2 s", "4 min 5 s", "2 h 3 min".
    static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        if whole < 86_400 { return "\(whole / 3600) h \(whole % 3600 / 60) min" }
        return "\(whole / 86_400) d \(whole % 86_400 / 3600) h"
    }

    private static let style = Date.ISO8601FormatStyle(dateTimeSeparator: .space, timeZone: .gmt)
}

/// Connection names by id, read once per request.
struct ConnectionNames {
    private var names: [String: String] = [:]

    init(_ api: FreshetAPI) async throws {
        for stored in try await api.runtime.store.connections() { names[stored.connection.id] = stored.connection.name }
    }

    subscript(_ id: String) -> String { names[id] ?? id }

    /// Every connection's name, sorted.
    var all: [String] { names.values.sorted() }

    /// The id of the connection named (or with id) `text`.
    func id(of text: String) -> String? {
        if names[text] != nil { return text }
        return names.first { $0.value == text }?.key
    }
}
