import Foundation
import Freshet
import Hummingbird

/// `/runs` (newest first, filtered by state, connection, item and caller, paged), `/runs/{id}`
/// with its attempts and a Cancel button, and the live updates (``RunEvents``). Reading needs
/// `read` (every run) or `refresh` (only the runs of content in the token's allow-list), as in the API.
struct RunPages {
    let console: Console
    var api: FreshetAPI { console.api }

    struct ListModel {
        struct StateOption {
            var value: String
            var selected: Bool
        }

        var runs: [RunRowModel]
        var states: [StateOption]
        var connection: String
        var item: String
        var caller: String
        var next: String?
        var first: String?
        var live: Bool
    }

    struct RunModel {
        struct Attempt {
            var number: Int
            var jobId: String?
            var outcome: String
            var message: String?
            var joined: Bool
        }

        var run: RunRowModel
        var updated: String
        var deadline: String?
        /// While the run waits: when its job is expected to end.
        var estimatedFinish: String?
        /// While Tableau holds the run's site: until when.
        var heldUntil: String?
        var attempts: [Attempt]
        var canCancel: Bool
        var cancelRequested: Bool
        var csrf: String
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("runs") { request, context in
            let everything = try await RunAuthorization.authorizeReading(request, context, api)
            let token = try context.requireToken()
            let filter = try await RunFilter(request.uri.queryParameters, api: api)
            let page = try await filter.page(everything: everything) { run in
                everything ? true : try await RunAuthorization.readable(run, token: token, api)
            }
            let rows = page.runs.map { RunRowModel($0, connectionName: filter.names[$0.connectionId]) }
            let model = ListModel(
                runs: rows,
                states: RunState.allCases.map { ListModel.StateOption(value: $0.rawValue, selected: filter.states.contains($0)) },
                connection: filter.connection ?? "", item: filter.item ?? "", caller: filter.caller ?? "",
                next: page.nextCursor.map { filter.link(cursor: $0) }, first: filter.cursor == nil ? nil : filter.link(cursor: nil),
                live: rows.contains { !$0.finished })
            return console.page("runs", title: "Runs", model: model, request: request, context: context, current: "/runs")
        }
        router.get("runs/{run}") { request, context in
            try await RunAuthorization.authorizeReading(request, context, api)
            let token = try context.requireToken()
            let id = try context.parameters.decoded("run")
            guard let run = try await api.runtime.store.run(id: id) else { throw ProblemDocument.notFound("No run with id \(id).") }
            try await RunAuthorization.authorizeRead([run], request, context, api)
            let names = try await ConnectionNames(api)
            let content = try await RunAuthorization.content(of: run, api)
            let model = RunModel(
                run: RunRowModel(run, connectionName: names[run.connectionId]), updated: RunRowModel.timestamp(run.updatedAt),
                deadline: run.deadline.map(RunRowModel.timestamp), estimatedFinish: run.estimatedFinish.map(RunRowModel.timestamp),
                heldUntil: run.heldUntil.map(RunRowModel.timestamp), attempts: Self.attempts(run),
                canCancel: !run.state.isTerminal && console.may(token, .refresh(content)), cancelRequested: run.cancelRequested,
                csrf: console.session(request)?.csrf ?? "")
            return console.page("run", title: "Run of \(run.item.name)", model: model, request: request, context: context, current: "/runs")
        }
        router.post("runs/{run}/cancel") { request, context in
            _ = try console.checkCSRF(request, try await FormData.read(request))
            let token = try context.requireToken()
            let id = try context.parameters.decoded("run")
            guard let run = try await api.engine.run(id: id) else {
                _ = try await RunAuthorization.requireRefreshScope(connection: nil, request, context, api)
                throw ProblemDocument.notFound("No run with id \(id).")
            }
            try await RunAuthorization.authorizeCancel(run, token: token, request, context, api)
            _ = try await api.engine.cancel(id: id, actor: token.actor)
            return Console.redirect("/runs/" + FormData.encode(id))
        }
        RunEvents(api: api).register(on: router)
    }

    static func attempts(_ run: Run) -> [RunModel.Attempt] {
        RunView(run).attempts.map { attempt in
            RunModel.Attempt(
                number: attempt.number, jobId: attempt.jobId, outcome: attempt.outcome, message: attempt.message, joined: attempt.joinedExisting)
        }
    }
}
