import Foundation
import Freshet
import FreshetAPITypes
import Hummingbird
import Synchronization

/// `POST /api/v1/pipeline-events`: a pipeline reports that its run failed or succeeded; the items
/// downstream of the tables (or the targets) it names are marked stale, or cleared — nothing is
/// refreshed. Needs `refresh` with every affected item in the token's allow-list (as refreshing
/// them would); idempotent by `eventId` per connection. `GET` lists recent events (`read`).
struct PipelineEventRoutes: APIRouteCollection {
    struct Page: Encodable {
        var events: [PipelineEventView]
    }

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.post("pipeline-events") { request, context in
            // A dbt target holds dbt's artifacts as they are, nulls included.
            let body = try await request.decodeGenerated(Components.Schemas.PipelineEventFields.self, freeForm: ["dbt"])
            let (token, _) = try await RunAuthorization.requireRefreshScope(connection: body.connection, request, context, server)
            let targets = try body.refreshTargets()
            let now = server.now()
            let service = PipelineEventService(store: server.runtime.store, audit: server.runtime.store, engine: server.engine, now: server.now)
            let refusals = Refusals()
            do {
                let (event, repeated) = try await service.record(
                    eventId: body.eventId, connection: body.connection, pipeline: body.pipeline, status: body.engineStatus, reason: body.reason,
                    targets: targets, actor: token.actor
                ) { connection, item in
                    let content = RunAuthorization.content(connection: connection, item: item)
                    guard case .denied(let denial) = Authorizer.decide(token, .refresh(content), now: now) else { return nil }
                    refusals.list.withLock { $0.append((content, denial)) }
                    return denial.message
                }
                // Data quality warnings follow at once.
                if !repeated { await server.engine.wakeFollowers() }
                return try server.json(PipelineEventAnswer(event: PipelineEventView(event), repeated: repeated))
            } catch let error as RefreshRequestError {
                if case .forbidden(let reasons) = error {
                    for (content, denial) in refusals.list.withLock({ $0 }) {
                        _ = try await server.deny(denial.message, missingScope: denial.missingScope, target: content.phrase, token: token, request)
                    }
                    throw ProblemDocument.forbidden(reasons.joined(separator: "\n"))
                }
                throw RunAuthorization.problem(error)
            } catch let error as PipelineEventError {
                switch error {
                case .invalid(let message): throw ProblemDocument.badRequest(message + ".")
                case .conflict(let message):
                    throw ProblemDocument("event-id-reused", title: "Event id reused", status: 422, detail: message + ".")
                }
            }
        }
        api.get("pipeline-events") { request, context in
            try await server.authorize(.readRuns, request, context)
            let parameters = request.uri.queryParameters
            try FreshnessRoutes.refuseUnknown(parameters, known: ["connection", "limit"])
            var connectionId: String?
            if let connection = FreshnessRoutes.text(parameters, "connection") { connectionId = try await RunAuthorization.connection(connection, server).id }
            var limit = 100
            if let text = FreshnessRoutes.given(parameters, "limit") {
                guard let number = Int(text), (1...1000).contains(number) else {
                    throw ProblemDocument.badRequest("Query parameter \"limit\" must be an integer from 1 to 1000.", field: "limit")
                }
                limit = number
            }
            let events = try await server.runtime.store.pipelineEvents(connectionId: connectionId, limit: limit)
            return try server.json(Page(events: events.map(PipelineEventView.init)))
        }
    }
}

extension Components.Schemas.PipelineEventFields {
    /// `POST /api/v1/pipeline-events`: the engine's status.
    var engineStatus: PipelineEvent.Status {
        switch status {
        case .failed: .failed
        case .succeeded: .succeeded
        }
    }

    /// The tables and targets as the engine's targets.
    func refreshTargets() throws -> [RefreshTarget] {
        var result: [RefreshTarget] = []
        for (index, text) in (tables ?? []).enumerated() {
            guard let table = TableName(text) else {
                throw ProblemDocument.badRequest("Field \"tables[\(index)]\" must be database.schema.table.", field: "tables[\(index)]")
            }
            result.append(.table(table))
        }
        for (index, target) in (targets ?? []).enumerated() {
            let field = "targets[\(index)]"
            result += try RunTargetBody(target, field: field).targets(field: field)
        }
        guard !result.isEmpty else { throw ProblemDocument.badRequest("Name the pipeline's tables or targets.", field: "tables") }
        return result
    }
}
