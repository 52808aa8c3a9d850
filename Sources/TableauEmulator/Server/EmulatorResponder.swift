import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import Synchronization

/// Request context carrying the channel, so a "dropped connection" fault can close it.
public struct EmulatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var maxUploadSize: Int { 8 << 20 }
}

/// Answers every request: admin calls under `/_emulator/`, then faults, then Tableau's REST API.
struct EmulatorResponder: HTTPResponder {
    let state: EmulatorState
    let routes: Routes

    init(state: EmulatorState) {
        self.state = state
        self.routes = Routes(state: state)
    }

    func respond(to request: Request, context: EmulatorRequestContext) async throws -> Response {
        let arrived = Date()
        let path = request.uri.path
        let rawQuery = request.uri.query ?? ""
        var status = 500
        defer {
            state.requestLog.append(
                RecordedRequest(
                    method: request.method.rawValue, path: path, query: rawQuery, status: status,
                    time: RequestLog.timestamp(arrived)
                )
            )
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = Array(buffer: body)
        // Path segments are percent-decoded (`sites/Acme%20Analytics?key=name`); `+` stays a plus.
        let pathSegments = path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            segment.contains("%") ? QueryString.percentDecode(segment, plusIsSpace: false) : String(segment)
        }

        if pathSegments.first == "_emulator" {
            let reply = await AdminRoutes(state: state).handle(
                method: request.method, segments: Array(pathSegments.dropFirst()), query: QueryString(Substring(rawQuery)), body: bytes
            )
            status = reply.status
            return render(reply, asJSON: true, version: state.maxVersion)
        }

        var call = Call(
            method: request.method, path: path, segments: [], query: QueryString(Substring(rawQuery)), headers: request.headers,
            body: bytes, version: nil, authority: request.head.authority
        )
        var loseAnswer = false
        switch await applyFaults(call: call, context: context) {
        case .drop:
            status = 0
            context.channel.close(promise: nil)
            throw CancellationError()
        case .reply(let reply):
            status = reply.status
            return render(reply, asJSON: call.wantsJSON, version: state.maxVersion)
        case .loseAnswer:
            loseAnswer = true
        case nil:
            break
        }

        let reply: Reply
        do throws(EmulatorError) {
            reply = try await route(&call, pathSegments: pathSegments)
        } catch {
            reply = Reply(status: error.status, elements: [error.element], headers: error.headers)
        }
        if loseAnswer {
            // Processed (a refresh has queued its job), but the client never hears of it.
            status = 0
            context.channel.close(promise: nil)
            throw CancellationError()
        }
        status = reply.status
        let versionless = pathSegments.count > 1 && (pathSegments[1] == "-" || pathSegments[1] == "metadata")
        return render(reply, asJSON: call.wantsJSON || versionless, version: call.version ?? state.maxVersion)
    }

    private func route(_ call: inout Call, pathSegments: [String]) async throws(EmulatorError) -> Reply {
        guard pathSegments.first?.lowercased() == "api", pathSegments.count >= 2 else {
            throw .unknownResource(call.path)
        }
        let second = pathSegments[1]
        if second == "-" {
            call.segments = Array(pathSegments.dropFirst(2))
            return try routes.versionless(call)
        }
        if second == "metadata" {
            guard pathSegments.count == 3, pathSegments[2].lowercased() == "graphql" else { throw .unknownResource(call.path) }
            return try await routes.metadata(call)
        }
        guard let version = APIVersion(second), version >= APIVersion.minimum, version <= state.maxVersion else {
            throw .invalidVersion(second)
        }
        call.version = version
        call.segments = Array(pathSegments.dropFirst(2))
        return try routes.classic(call)
    }

    enum FaultAction {
        /// Close the connection before processing.
        case drop
        /// Answer with this instead of processing.
        case reply(Reply)
        /// Process the request, then close the connection without answering.
        case loseAnswer
    }

    /// Applies latency, scripted faults and random faults; admin paths never get here.
    private func applyFaults(call: Call, context: EmulatorRequestContext) async -> FaultAction? {
        let (settings, scripted): (FaultSettings, ScriptedFault?) = state.faults.withLock { runtime in
            let method = call.method.rawValue
            let matchIndex = runtime.settings.failNext.firstIndex { fault in
                (fault.method.map { $0.uppercased() == method } ?? true) && (fault.pathContains.map { call.path.contains($0) } ?? true)
            }
            guard let matchIndex else { return (runtime.settings, nil) }
            let fault = runtime.settings.failNext[matchIndex]
            runtime.settings.failNext[matchIndex].count -= 1
            if runtime.settings.failNext[matchIndex].count <= 0 { runtime.settings.failNext.remove(at: matchIndex) }
            return (runtime.settings, fault)
        }
        if settings.latencyMs > 0 {
            try? await Task.sleep(for: .milliseconds(settings.latencyMs))
        }
        if let scripted {
            if scripted.loseAnswer { return .loseAnswer }
            guard let status = scripted.status else { return .drop }
            if let message = scripted.message { return .reply(faultReply(status: status, message: message, retryAfter: scripted.retryAfterSeconds)) }
            return .reply(faultReply(status: status, retryAfter: scripted.retryAfterSeconds ?? settings.retryAfterSeconds))
        }
        if let only = settings.pathContains, !call.path.contains(only) { return nil }
        if settings.dropRate > 0, Double.random(in: 0..<1) < settings.dropRate { return .drop }
        if settings.loseAnswerRate > 0, Double.random(in: 0..<1) < settings.loseAnswerRate { return .loseAnswer }
        if settings.rateLimitRate > 0, Double.random(in: 0..<1) < settings.rateLimitRate {
            return .reply(faultReply(status: 429, retryAfter: settings.retryAfterSeconds))
        }
        if settings.errorRate > 0, Double.random(in: 0..<1) < settings.errorRate {
            return .reply(faultReply(status: settings.errorStatuses.randomElement() ?? 500, retryAfter: settings.retryAfterSeconds))
        }
        return nil
    }

    /// A Tableau error in Tableau's words (`<status>000`), with `Retry-After` only when given.
    private func faultReply(status: Int, message: String, retryAfter: Int?) -> Reply {
        let summary = status == 429 ? "Too Many Requests" : status == 503 ? "Service Unavailable" : status >= 500 ? "Internal Server Error" : "Bad Request"
        var reply = Reply(status: status, elements: [EmulatorError(status: status, code: "\(status)000", summary: summary, detail: message).element])
        if let retryAfter { reply.headers.append(("Retry-After", String(retryAfter))) }
        return reply
    }

    private func faultReply(status: Int, retryAfter: Int) -> Reply {
        if status == 429 {
            // Tableau Cloud answers 429 with an HTML body (REST-API.md §16).
            let html = "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>"
            return Reply(status: 429, elements: nil, body: html, contentType: "text/html", headers: [("Retry-After", String(retryAfter))])
        }
        let error = EmulatorError(
            status: status, code: "\(status)000", summary: status == 503 ? "Service Unavailable" : "Internal Server Error",
            detail: "The emulator injected this fault."
        )
        return Reply(status: status, elements: [error.element])
    }

    private func render(_ reply: Reply, asJSON: Bool, version: APIVersion) -> Response {
        var headers = HTTPFields()
        var text: String?
        if let body = reply.body {
            text = body
            headers[.contentType] = reply.contentType ?? "application/json;charset=UTF-8"
        } else if let elements = reply.elements {
            if asJSON {
                text = JSONRendering.document(elements)
                headers[.contentType] = "application/json;charset=UTF-8"
            } else {
                text = XMLRendering.document(elements, schemaVersion: version.description)
                headers[.contentType] = "application/xml;charset=UTF-8"
            }
        }
        for (name, value) in reply.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: reply.status)
        guard let text else { return Response(status: status, headers: headers) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
