import Foundation
import Freshet
import Hummingbird
import Synchronization

/// The scope and allow-list rules of the runs routes. Every refusal is audited ("api.denied")
/// and answered with one 403 problem.
enum RunAuthorization {
    /// Reading runs at all: `read` (every run), or `refresh` (only the runs of content in the
    /// token's allow-list, checked per run by ``authorizeRead(_:_:_:_:)`` and ``readable(_:token:_:)``).
    /// Returns whether the token reads every run.
    @discardableResult
    static func authorizeReading(_ request: Request, _ context: FreshetRequestContext, _ server: FreshetAPI) async throws -> Bool {
        let token = try context.requireToken()
        let decision = Authorizer.decide(token, .readRuns, now: server.now())
        if decision.isAllowed { return true }
        if case .denied(let denial) = decision, denial.missingScope == .read, token.scopes.contains(.refresh) { return false }
        try await server.authorize(.readRuns, request, context)
        return true
    }

    /// Refuses (403 naming the run's content, audited) when the token may not read one of `runs`.
    static func authorizeRead(_ runs: [Run], _ request: Request, _ context: FreshetRequestContext, _ server: FreshetAPI) async throws {
        let token = try context.requireToken()
        if Authorizer.decide(token, .readRuns, now: server.now()).isAllowed { return }
        for run in runs { try await server.authorize(.readRun(try await content(of: run, server)), request, context) }
    }

    /// Whether `token` may read `run` (no audit: listings leave out what a token may not read).
    static func readable(_ run: Run, token: APIToken, _ server: FreshetAPI) async throws -> Bool {
        Authorizer.decide(token, .readRun(try await content(of: run, server)), now: server.now()).isAllowed
    }

    /// What `run` refreshes, as allow-lists see it: its connection (by id and name), item and
    /// the project it had when accepted.
    static func content(of run: Run, _ server: FreshetAPI) async throws -> RefreshContent {
        let connection = (try? await Self.connection(run.connectionId, server)) ?? ContentName(id: run.connectionId, name: run.connectionId)
        return RefreshContent(
            connection: connection, kind: run.item.contentType == .workbook ? .workbook : .datasource,
            item: ContentName(id: run.item.tableauId, name: run.item.name), project: run.projectName.map { ContentName(name: $0) })
    }

    /// The token, when it has `refresh` and (when `connection` is given, by name or id) the
    /// connection exists (else 404) and is in its allow-list; with the connection's id and name.
    static func requireRefreshScope(
        connection: String?, _ request: Request, _ context: FreshetRequestContext, _ server: FreshetAPI
    ) async throws -> (token: APIToken, connection: ContentName?) {
        let token = try context.requireToken()
        let any = ContentName(name: "*")
        if !token.isAdmin, !token.scopes.contains(.refresh) {
            try await server.authorize(.refresh(RefreshContent(connection: ContentName(name: connection ?? "*"), kind: .project, item: any)), request, context)
        }
        guard let connection else { return (token, nil) }
        let named = try await Self.connection(connection, server)
        let connectionOnly = TokenAllowList(connections: token.allowList.connections, projects: [GlobPattern("*")])
        if !token.isAdmin, !Authorizer.allows(connectionOnly, RefreshContent(connection: named, kind: .project, item: any)) {
            let message = "This API token may not refresh anything on connection \(named): it is not in the token's allow-list."
            throw try await server.deny(message, missingScope: nil, target: "connection \(named)", token: token, request)
        }
        return (token, named)
    }

    /// The id and name of the connection named (or with id) `nameOrId`, remembered for a few
    /// seconds (``HotPathCaches``); 404 when there is none.
    static func connection(_ nameOrId: String, _ server: FreshetAPI) async throws -> ContentName {
        let now = server.now()
        if let cached = server.caches.connections.connection(nameOrId, now: now) { return ContentName(id: cached.id, name: cached.name) }
        let store = server.runtime.store
        var found = try await store.connection(named: nameOrId)
        if found == nil { found = try await store.connection(id: nameOrId) }
        guard let stored = found else {
            throw ProblemDocument.notFound("No connection named or with id \"\(nameOrId)\".")
        }
        server.caches.connections.store(id: stored.connection.id, name: stored.connection.name, for: nameOrId, now: now)
        return ContentName(id: stored.connection.id, name: stored.connection.name)
    }

    /// Submits `refresh` on behalf of `token`, refusing (403, each refused item audited) when
    /// any resolved item is outside the token's allow-list; engine errors become problems.
    static func submit(
        _ refresh: RefreshRequest, token: APIToken, _ request: Request, _ context: FreshetRequestContext, _ server: FreshetAPI
    ) async throws -> RefreshSubmission {
        let refusals = Refusals()
        let now = server.now()
        do throws(RefreshRequestError) {
            return try await server.engine.submit(refresh, actor: token.actor) { connection, item in
                let content = content(connection: connection, item: item)
                // An item known only by its id may be asked about again once Tableau named it: the last answer counts.
                guard case .denied(let denial) = Authorizer.decide(token, .refresh(content), now: now) else {
                    refusals.list.withLock { $0.removeAll { $0.0.item.id == content.item.id && $0.0.kind == content.kind } }
                    return nil
                }
                refusals.list.withLock { list in
                    list.removeAll { $0.0.item.id == content.item.id && $0.0.kind == content.kind }
                    list.append((content, denial))
                }
                return denial.message
            }
        } catch {
            if case .forbidden(let reasons) = error {
                for (content, denial) in refusals.list.withLock({ $0 }) {
                    _ = try await server.deny(denial.message, missingScope: denial.missingScope, target: content.phrase, token: token, request)
                }
                throw ProblemDocument.forbidden(reasons.joined(separator: "\n"))
            }
            throw problem(error)
        }
    }

    /// Cancelling needs `refresh` and the run's item (or its project) in the allow-list.
    static func authorizeCancel(
        _ run: Run, token: APIToken, _ request: Request, _ context: FreshetRequestContext, _ server: FreshetAPI
    ) async throws {
        var content = try await content(of: run, server)
        if content.project == nil, case .denied(let denial) = Authorizer.decide(token, .refresh(content), now: server.now()),
            denial.missingScope == nil, !token.allowList.projects.isEmpty, let stored = try await server.runtime.store.connection(id: run.connectionId)
        {
            // A run stored before Freshet kept projects: ask Tableau, as the request's resolution did.
            let gateway = ClientRefreshGateway(client: try await server.runtime.client(for: stored.connection.name, actor: token.actor))
            if let project = try? await gateway.item(run.item.contentType, id: run.item.tableauId)?.projectName {
                content.project = ContentName(name: project)
            }
        }
        try await server.authorize(.refresh(content), request, context)
    }

    static func content(connection: Connection, item: RefreshableItem) -> RefreshContent {
        RefreshContent(
            connection: ContentName(id: connection.id, name: connection.name), kind: item.item.contentType == .workbook ? .workbook : .datasource,
            item: ContentName(id: item.item.tableauId, name: item.item.name), project: item.projectName.map { ContentName(name: $0) })
    }

    /// The problem document of an engine refusal other than ``RefreshRequestError/forbidden(_:)``.
    static func problem(_ error: RefreshRequestError) -> ProblemDocument {
        switch error {
        case .invalid(let message):
            return .invalid(message.hasSuffix(".") ? message : message + ".", field: nil)
        case .unknownConnection(let name):
            return .notFound("No connection named or with id \"\(name)\".")
        case .unresolved(let messages):
            return ProblemDocument(
                "unresolved-targets", title: "Targets not resolved", status: 422, detail: messages.joined(separator: "\n"), field: "targets")
        case .forbidden(let reasons):
            return .forbidden(reasons.joined(separator: "\n"))
        case .conflict(let message):
            return ProblemDocument(
                "idempotency-key-reused", title: "Idempotency key reused for a different request", status: 422,
                detail: message.hasSuffix(".") ? message : message + ".", field: "idempotencyKey")
        case .storage:
            return .storageUnavailable()
        case .tableau(let gateway) where gateway.isCancelled:
            return .cancelled()
        case .tableau(let gateway):
            let unreachable = gateway.isUnreachable || gateway.isTransient || gateway.status == nil
            return ProblemDocument(
                "tableau", title: unreachable ? "Tableau unreachable" : "Tableau error", status: unreachable ? 503 : 502, detail: gateway.message,
                tableau: .init(httpStatus: gateway.status, code: gateway.code, summary: nil, detail: gateway.message))
        }
    }
}

/// Refusals collected by the engine's authorization hook.
final class Refusals: Sendable {
    let list = Mutex<[(RefreshContent, Denial)]>([])
}
