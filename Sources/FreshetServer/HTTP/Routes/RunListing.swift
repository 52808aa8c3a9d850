import Foundation
import Freshet
import Hummingbird

/// `GET /api/v1/runs?connection=&state=&limit=&cursor=`: runs newest first (by creation time,
/// then id), paged with an opaque cursor naming the last run of the previous page.
struct RunListing {
    static let defaultLimit = 50
    static let maxLimit = 1000
    let server: FreshetAPI

    /// The page `parameters` ask for, leaving out runs `readable` refuses (the page may then hold
    /// fewer runs than the limit; the cursor still follows every run).
    func page(_ parameters: Parameters, readable: (Run) async throws -> Bool = { _ in true }) async throws -> RunPage {
        let known: Set<String> = ["connection", "state", "limit", "cursor"]
        if let unknown = parameters.map({ String($0.key) }).sorted().first(where: { !known.contains($0) }) {
            throw ProblemDocument.badRequest("Unknown query parameter \"\(unknown)\".", field: unknown)
        }
        var query = RunQuery(connectionId: try await connectionId(parameters["connection"].map(String.init)), states: try states(parameters))
        let limit = try limit(parameters["limit"].map(String.init))
        var after: (createdAt: Date, id: String)?
        if let text = parameters["cursor"].map(String.init), !text.isEmpty {
            guard let cursor = Self.decode(cursor: text) else {
                throw ProblemDocument.badRequest("Query parameter \"cursor\" is not a cursor this API returned.", field: "cursor")
            }
            after = cursor
            // Runs created at the cursor's very instant that were already shown are skipped below.
            var ties = query
            (ties.since, ties.until, ties.limit) = (cursor.createdAt, cursor.createdAt, 10_000)
            let shown = try await server.engine.runs(ties).filter { $0.id >= cursor.id }.count
            query.until = cursor.createdAt
            query.limit = limit + 1 + shown
        } else {
            query.limit = limit + 1
        }
        var runs = try await server.engine.runs(query)
        if let after { runs = runs.filter { $0.createdAt < after.createdAt || ($0.createdAt == after.createdAt && $0.id < after.id) } }
        let page = Array(runs.prefix(limit))
        let next = runs.count > limit ? page.last.map { Self.cursor($0) } : nil
        var shown: [RunView] = []
        var holds: [String: SiteHold?] = [:]
        for run in page where try await readable(run) {
            var view = RunView(run)
            if !run.state.isTerminal {
                if holds[run.connectionId] == nil {
                    holds[run.connectionId] = .some(try? await server.runtime.store.siteHold(connectionId: run.connectionId, now: server.now()))
                }
                view.show(holds[run.connectionId] ?? nil)
            }
            shown.append(view)
        }
        return RunPage(runs: shown, nextCursor: next)
    }

    private func connectionId(_ text: String?) async throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        return try await RunAuthorization.connection(text, server).id
    }

    /// `state` given once with commas, or repeated; nil for any.
    private func states(_ parameters: Parameters) throws -> Set<RunState>? {
        let names = parameters.getAll("state").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !names.isEmpty else { return nil }
        return Set(
            try names.map { name in
                guard let state = RunState(rawValue: name) else {
                    let all = RunState.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ProblemDocument.badRequest("Unknown state \"\(name)\"; states are \(all).", field: "state")
                }
                return state
            })
    }

    private func limit(_ text: String?) throws -> Int {
        guard let text else { return Self.defaultLimit }
        guard let number = Int(text), (1...Self.maxLimit).contains(number) else {
            throw ProblemDocument.badRequest("Query parameter \"limit\" must be an integer from 1 to \(Self.maxLimit).", field: "limit")
        }
        return number
    }

    static func cursor(_ run: Run) -> String {
        let text = "\(run.createdAt.timeIntervalSinceReferenceDate.bitPattern):\(run.id)"
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func decode(cursor: String) -> (createdAt: Date, id: String)? {
        let padded = cursor + String(repeating: "=", count: (4 - cursor.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let bits = UInt64(parts[0]), !parts[1].isEmpty else { return nil }
        return (Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits)), String(parts[1]))
    }
}
