import Foundation
import Freshet
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/v1/access-events`: access-management systems deliver `granted` / `revoked` events
/// (with a `users:admin` token, or signed with the shared secret: see docs/access.md), and
/// administrators read the recorded outcomes (`users:admin`).
struct AccessRoutes: APIRouteCollection {
    /// The path signed deliveries reach without a bearer token (see ``BearerAuthMiddleware``).
    static let path = "/api/v1/access-events"
    static let maxLimit = 1000
    static let timestampField = HTTPField.Name(AccessEventSignature.timestampHeader)!
    static let signatureField = HTTPField.Name(AccessEventSignature.signatureHeader)!

    /// Whether `request` is a signed delivery without a bearer token: `POST /api/v1/access-events`
    /// with a signature header and no `Authorization`. Only these skip bearer authentication.
    static func isSignedDelivery(_ request: Request) -> Bool {
        request.method == .post && request.uri.path == path && request.headers[.authorization] == nil
            && (request.headers[timestampField] != nil || request.headers[signatureField] != nil)
    }

    /// Where the shared secret is read (FRESHET_ACCESS_EVENT_SECRET…), at each delivery.
    let environment: @Sendable () -> [String: String]

    init(environment: @escaping @Sendable () -> [String: String] = { ProcessInfo.processInfo.environment }) {
        self.environment = environment
    }

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.post("access-events") { request, context in
            var body: ByteBuffer
            let actor: String
            if context.token != nil {
                actor = try await server.authorize(.manageUsers, request, context).actor
                body = try await request.collectJSON()
            } else {
                body = try await request.collectJSON()
                try await verifySignature(of: body, request, server)
                actor = "signature"
            }
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            let event = try JSONBodyDecoder.decode(AccessEventBody.self, from: Data(bytes)).event()
            let result = try await AccessProblems.mapping { try await server.runtime.handleAccessEvent(event, actor: actor) }
            guard let problem = AccessEventProblem(result, path: request.uri.path) else {
                return try server.json(AccessEventView(record: result.record, repeated: result.repeated))
            }
            var headers: HTTPFields = [.contentType: ProblemDocument.mediaType]
            if result.record.status != .refused { headers[.retryAfter] = "30" }
            let data = try FreshetAPI.encoder.encode(problem)
            return Response(status: .init(code: problem.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        api.get("access-events") { request, context in
            try await server.authorize(.manageUsers, request, context)
            let query = try RouteQuery(request.uri.queryParameters, known: ["connection", "user", "limit"])
            let limit = try query.integer("limit", in: 1...Self.maxLimit, default: 100)
            let events = try await AccessProblems.mapping {
                try await server.runtime.accessEvents(connection: query.text("connection"), user: query.text("user"), limit: limit)
            }
            return try server.json(AccessEventList(events: events))
        }
    }

    /// Checks the signature headers over the exact body bytes; a 401 with the reason otherwise
    /// (audited as "access.signature_rejected", never with the body or the signature).
    func verifySignature(of body: ByteBuffer, _ request: Request, _ server: FreshetAPI) async throws {
        let timestamp = request.headers[Self.timestampField]
        let signature = request.headers[Self.signatureField]
        let reason: String
        do {
            try server.runtime.verifyAccessEventSignature(
                body: body.readableBytesView, timestamp: timestamp, signature: signature, now: server.now(), environment: environment())
            return
        } catch let error as SignatureError {
            reason = error.description + "."
        } catch let error as AccessError {
            reason = error.description + "."
        }
        try await server.audit.append(
            AuditEvent(
                time: server.now(), actor: "signature", action: "access.signature_rejected", target: Self.path, outcome: "failure",
                details: ["reason": reason]))
        throw ProblemDocument(
            "unauthorized", title: "Unauthorized", status: 401, detail: reason,
            headers: ["WWW-Authenticate": "Bearer realm=\"freshet\""])
    }
}
