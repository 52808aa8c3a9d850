import Foundation
import Freshet
import HTTPTypes
import Hummingbird

/// `/api/v1/runs`: create refresh runs (targets, idempotency key, bounded long-poll), read one
/// (optionally long-polled until it ends), list them newest first, and cancel one. Reading
/// needs `read` (every run) or `refresh` (the runs of content in the token's allow-list);
/// creating and cancelling need `refresh` and the token's allow-list for every item touched.
struct RunRoutes: APIRouteCollection {
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.post("runs") { request, context in
            let body = try await request.decodeStrict(CreateRunsBody.self)
            let refresh = try body.request(headerKey: request.headers[Self.idempotencyHeader])
            let limit = try Self.waitLimit(body.waitSeconds, field: "waitSeconds")
            let (token, connection) = try await RunAuthorization.requireRefreshScope(connection: body.connection, request, context, server)
            let key = refresh.idempotencyKey.flatMap { key in connection?.id.map { (connectionId: $0, key: key) } }
            let fingerprint = refresh.fingerprint
            if let key, let cached = server.caches.endedAnswers.entry(connectionId: key.connectionId, key: key.key, fingerprint: fingerprint) {
                try await RunAuthorization.authorizeRead(cached.runs, request, context, server)
                return server.json(bytes: cached.json)
            }
            let submission = try await RunAuthorization.submit(refresh, token: token, request, context, server)
            // Runs found by a repeated key were authorized for whoever created them: this token must be allowed to read them.
            let earlier = submission.runs.filter { $0.disposition == .existingIdempotencyKey }.map(\.run)
            try await RunAuthorization.authorizeRead(earlier, request, context, server)
            var runs = submission.runs.map(\.run)
            if let limit, runs.contains(where: { !$0.state.isTerminal }) {
                runs = try await server.longPoll(runs.map(\.id), limit: limit)
            }
            let answer = RunsAnswer(runs: runs, liveItems: submission.liveItems)
            let json = ByteBuffer(bytes: try FreshetAPI.encoder.encode(answer))
            if let key, answer.finished, submission.runs.allSatisfy({ $0.disposition == .existingIdempotencyKey }) {
                // What a repeated key answers from now on without reading the store (its runs ended).
                server.caches.endedAnswers.store(json, runs: runs, connectionId: key.connectionId, key: key.key, fingerprint: fingerprint)
            }
            return server.json(bytes: json, status: answer.finished ? .ok : .accepted)
        }
        api.get("runs") { request, context in
            let everything = try await RunAuthorization.authorizeReading(request, context, server)
            let token = try context.requireToken()
            let page = try await RunListing(server: server).page(request.uri.queryParameters) { run in
                if everything { return true }
                return try await RunAuthorization.readable(run, token: token, server)
            }
            return try server.json(page)
        }
        api.get("runs/{run}") { request, context in
            try await RunAuthorization.authorizeReading(request, context, server)
            let id = try context.parameters.decoded("run")
            let known = request.uri.queryParameters.map { String($0.key) }.filter { $0 != "waitSeconds" }.sorted()
            if let unknown = known.first { throw ProblemDocument.badRequest("Unknown query parameter \"\(unknown)\".", field: unknown) }
            let wait = try Self.waitLimit(request.uri.queryParameters["waitSeconds"].map { Int($0) ?? -1 }, field: "waitSeconds")
            if let cached = server.caches.endedRuns.entry(id: id) {
                try await RunAuthorization.authorizeRead([cached.run], request, context, server)
                return server.json(bytes: cached.json)
            }
            guard var run = try await server.runtime.store.run(id: id) else { throw ProblemDocument.notFound("No run with id \(id).") }
            try await RunAuthorization.authorizeRead([run], request, context, server)
            if let wait, !run.state.isTerminal { run = try await server.longPoll([id], limit: wait).first ?? run }
            var view = RunView(run)
            if !run.state.isTerminal { view.show(try? await server.runtime.store.siteHold(connectionId: run.connectionId, now: server.now())) }
            let json = ByteBuffer(bytes: try FreshetAPI.encoder.encode(view))
            if run.state.isTerminal { server.caches.endedRuns.store(json, run: run) }
            return server.json(bytes: json)
        }
        api.post("runs/{run}/cancel") { request, context in
            let id = try context.parameters.decoded("run")
            let token = try context.requireToken()
            guard let run = try await server.engine.run(id: id) else {
                // Same scope check as for an existing run, so that run ids are not probed without it.
                _ = try await RunAuthorization.requireRefreshScope(connection: nil, request, context, server)
                throw ProblemDocument.notFound("No run with id \(id).")
            }
            try await RunAuthorization.authorizeCancel(run, token: token, request, context, server)
            let cancelled = try await server.engine.cancel(id: id, actor: token.actor)
            return try server.json(RunView(cancelled), status: cancelled.state.isTerminal ? .ok : .accepted)
        }
    }

    /// Longest long-poll, in seconds.
    static let maxWaitSeconds = 60

    /// `seconds` (0…60) as a wait limit; nil for none or 0; a 400 naming `field` otherwise.
    static func waitLimit(_ seconds: Int?, field: String) throws -> Duration? {
        guard let seconds else { return nil }
        guard (0...maxWaitSeconds).contains(seconds) else {
            throw ProblemDocument.badRequest("\"\(field)\" must be an integer from 0 to \(maxWaitSeconds).", field: field)
        }
        return seconds == 0 ? nil : .seconds(seconds)
    }
}
