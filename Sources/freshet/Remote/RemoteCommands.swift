import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import NIOHTTP1

extension RefreshCommand {
    /// `freshet refresh --server …`: the same request, output and exit status over HTTP.
    func runRemote(_ client: FreshetAPIClient) async throws {
        let body = RemoteRuns.Create(
            connection: connection,
            targets: datasource.map { .init(datasource: $0) } + workbook.map { .init(workbook: $0) } + project.map { .init(project: $0) }
                + table.map { .init(table: $0) },
            idempotencyKey: idempotencyKey, timeoutSeconds: timeout.map { max(1, Int($0.duration.components.seconds)) }, attempts: attempts,
            waitSeconds: 0)
        let asked = Date()
        let (answer, _) = try await client.send(.POST, "/api/v1/runs", body: body, as: RemoteRuns.Answer.self)
        let runs = answer.runs.map(Run.init)
        let submission = RefreshSubmission(
            runs: runs.map { RunCreation(run: $0, disposition: Self.disposition($0, key: idempotencyKey, asked: asked)) },
            liveItems: answer.liveItems.map(\.item))
        let final = try await RemoteRuns.follow(
            runs, client: client, untilEnded: wait, json: json, header: { RunWaiting.printAccepted(submission, connection: connection) })
        if json { Output.json(RefreshResult(runs: final.map(RunView.init), liveItems: submission.liveItems.map(LiveItemView.init))) }
        throw ExitCode(RunWaiting.exitCode(final, waited: wait))
    }

    /// What the server did with the request for `run` (the API answers runs only): a run created
    /// before the request was sent is an earlier request's, by key or by joining.
    static func disposition(_ run: Run, key: String?, asked: Date) -> RunCreation.Disposition {
        guard run.createdAt < asked.addingTimeInterval(-1) else { return .created }
        if let key, run.idempotencyKey?.hasPrefix(key + "#") == true { return .existingIdempotencyKey }
        return .joinedActive
    }
}

extension RunsCommand.List {
    func runRemote(_ client: FreshetAPIClient) async throws -> [Run] {
        let query = FreshetAPIClient.query([
            ("connection", connection), ("state", state.isEmpty ? nil : state.joined(separator: ",")), ("limit", String(min(max(limit, 1), 1000))),
        ])
        return try await client.send(.GET, "/api/v1/runs" + query, as: RemoteRuns.Page.self).0.runs.map(Run.init)
    }
}

extension RunsCommand.Show {
    func runRemote(_ client: FreshetAPIClient) async throws {
        var run = Run(try await client.send(.GET, "/api/v1/runs/\(FreshetAPIClient.segment(id))", as: RemoteRuns.Wire.self).0)
        if wait { run = try await RemoteRuns.follow([run], client: client, untilEnded: true, json: true, header: {}).first ?? run }
        if json { Output.json(RunView(run)) } else { RunsCommand.printDetails(run) }
        throw ExitCode(RunsOutcome([run]).rawValue)
    }
}

extension RunsCommand.Cancel {
    func runRemote(_ client: FreshetAPIClient) async throws -> Run {
        Run(try await client.send(.POST, "/api/v1/runs/\(FreshetAPIClient.segment(id))/cancel", as: RemoteRuns.Wire.self).0)
    }
}

/// The connections and audit reads of the API, in its generated types.
enum RemoteReads {
    static func connections(_ client: FreshetAPIClient) async throws -> [APIConnection] {
        try await client.send(.GET, "/api/v1/connections", as: Operations.GetApiV1Connections.Output.Ok.Body.JsonPayload.self).0.connections
    }

    static func connection(_ name: String, _ client: FreshetAPIClient) async throws -> APIConnection {
        try await client.send(.GET, "/api/v1/connections/\(FreshetAPIClient.segment(name))", as: APIConnection.self).0
    }

    static func check(_ name: String, _ client: FreshetAPIClient) async throws -> [APICheck] {
        let path = "/api/v1/connections/\(FreshetAPIClient.segment(name))/check"
        return try await client.send(.POST, path, as: Operations.PostApiV1ConnectionsConnectionCheck.Output.Ok.Body.JsonPayload.self).0.results
    }

    static func audit(_ query: AuditQuery, _ client: FreshetAPIClient) async throws -> [APIAuditEvent] {
        let text = FreshetAPIClient.query([
            ("actor", query.actor), ("action", query.action), ("target", query.target), ("outcome", query.outcome),
            ("limit", String(min(max(query.limit, 1), 1000))),
        ])
        return try await client.send(.GET, "/api/v1/audit" + text, as: Operations.GetApiV1Audit.Output.Ok.Body.JsonPayload.self).0.events
    }
}
