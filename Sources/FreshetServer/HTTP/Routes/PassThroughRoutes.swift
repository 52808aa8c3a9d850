import Foundation
import Freshet
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// `POST /api/v1/connections/{connection}/tableau`: any Tableau REST call (versioned,
/// versionless or the Metadata API) through the connection's shared session. Scope
/// `tableau:passthrough`; audited as "tableau.passthrough" with the method and path. Tableau's
/// success comes back as 200 `{"status","contentType","body"}`; Tableau's error status is a 502
/// problem whose `tableau` member has Tableau's status, code and words; a request Freshet
/// refuses (sign-in, full URLs, `..`) is 422; an unreachable Tableau 503.
struct PassThroughRoutes: APIRouteCollection {
    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.post("connections/{connection}/tableau") { request, context in
            let token = try await server.authorize(.passthrough, request, context)
            let connection = try context.parameters.decoded("connection")
            let buffer = try await request.body.collect(upTo: FreshetRequestContext.bodyLimit)
            let data = Data(buffer: buffer)
            let body = try JSONBodyDecoder.decode(PassThroughBody.self, from: data)
            let call: PassThroughRequest
            do throws(AccessError) {
                call = try body.request(body: PassThroughBody.rawBody(data))
            } catch {
                throw AccessProblems.problem(error, field: "path")
            }
            let response = try await AccessProblems.mapping(tableauNotFound: false) {
                try await server.runtime.passThrough(connection: connection, request: call, actor: token.actor)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: try PassThroughAnswer.json(response))))
        }
    }
}
