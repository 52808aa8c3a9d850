import Foundation
import Freshet
import Hummingbird

/// The runs list's filters (state, connection, item name, caller) and paging: newest first by
/// creation time then id, with a cursor naming the last run shown (the API's cursor format).
/// State and connection go to the store's query; item and caller are matched (case-insensitive
/// substrings) on the runs read, reading further batches until the page is full.
struct RunFilter {
    static let pageSize = 50
    static let batchSize = 200
    static let maxBatches = 25

    var states: Set<RunState>
    var connection: String?
    var connectionId: String?
    var item: String?
    var caller: String?
    var cursor: String?
    let names: ConnectionNames
    let api: FreshetAPI

    init(_ parameters: Parameters, api: FreshetAPI) async throws {
        func text(_ name: String) -> String? {
            guard let value = parameters[name[...]].map(String.init)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        states = Set(parameters.getAll("state").flatMap { $0.split(separator: ",") }.compactMap { RunState(rawValue: String($0)) })
        connection = text("connection")
        item = text("item")
        caller = text("caller")
        cursor = text("cursor")
        self.api = api
        names = try await ConnectionNames(api)
        connectionId = connection.map { names.id(of: $0) ?? "\u{0}none" }
    }

    /// The page these filters ask for: runs `readable` allows, and the cursor of the next page.
    /// `everything`: whether the token reads every run (then, without item or caller filters, one
    /// read of a page plus one run is enough).
    func page(everything: Bool = false, readable: (Run) async throws -> Bool) async throws -> (runs: [Run], nextCursor: String?) {
        let batchSize = everything && item == nil && caller == nil ? Self.pageSize + 1 : Self.batchSize
        var after = cursor.flatMap(RunListing.decode(cursor:))
        if cursor != nil && after == nil {
            throw ProblemDocument.badRequest("This page link is not one the console made.", field: "cursor")
        }
        var found: [Run] = []
        for _ in 0..<Self.maxBatches {
            var query = RunQuery(connectionId: connectionId, states: states.isEmpty ? nil : states, limit: batchSize)
            query.until = after?.createdAt
            var batch = try await api.engine.runs(query)
            let complete = batch.count < batchSize
            if let after { batch = batch.filter { $0.createdAt < after.createdAt || ($0.createdAt == after.createdAt && $0.id < after.id) } }
            for run in batch {
                guard matches(run), try await readable(run) else { continue }
                found.append(run)
                if found.count > Self.pageSize { break }
            }
            if found.count > Self.pageSize || complete || batch.isEmpty { break }
            after = (batch.last!.createdAt, batch.last!.id)
        }
        let page = Array(found.prefix(Self.pageSize))
        return (page, found.count > Self.pageSize ? page.last.map(RunListing.cursor) : nil)
    }

    func matches(_ run: Run) -> Bool {
        if let item, !run.item.name.localizedCaseInsensitiveContains(item) { return false }
        if let caller, !run.actor.localizedCaseInsensitiveContains(caller) { return false }
        return true
    }

    /// This list's address with `cursor`.
    func link(cursor: String?) -> String {
        var parts: [String] = states.map(\.rawValue).sorted().map { "state=" + $0 }
        if let connection { parts.append("connection=" + FormData.encode(connection)) }
        if let item { parts.append("item=" + FormData.encode(item)) }
        if let caller { parts.append("caller=" + FormData.encode(caller)) }
        if let cursor { parts.append("cursor=" + FormData.encode(cursor)) }
        return "/runs" + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
    }
}
