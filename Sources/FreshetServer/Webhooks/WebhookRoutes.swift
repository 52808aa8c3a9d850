import Foundation
import Freshet
import Hummingbird

/// `POST /hooks/tableau/{connection}/{secret}`: Tableau's webhook deliveries. Tableau signs
/// nothing, so the path carries an unguessable per-connection secret (``Keyring/derivedSecret(for:)``);
/// a wrong secret or an unknown connection is a 404. A delivery is a hint: it wakes the runs this
/// process waits on for the item, which confirm the outcome with Tableau before ending.
struct WebhookRoutes {
    /// Deliveries are small JSON objects.
    static let bodyLimit = 64 * 1024

    /// The path a connection's webhooks post to.
    static func path(connectionId: String, keyring: Keyring) -> String {
        "/hooks/tableau/\(connectionId)/\(keyring.derivedSecret(for: purpose(connectionId)))"
    }

    static func purpose(_ connectionId: String) -> String { "webhook:\(connectionId)" }

    func register(on router: Router<FreshetRequestContext>, _ api: FreshetAPI) {
        router.post("hooks/tableau/{connection}/{secret}") { request, context in
            let connectionId = try context.parameters.require("connection")
            let secret = try context.parameters.require("secret")
            guard api.runtime.keyring.matchesDerivedSecret(secret, for: Self.purpose(connectionId)),
                try await api.runtime.store.connection(id: connectionId) != nil
            else { throw ProblemDocument.notFound("No such webhook.") }
            let buffer = try await request.body.collect(upTo: Self.bodyLimit)
            if let (_, itemId) = TableauWebhookEvent.parse(Array(buffer.readableBytesView)) {
                await api.engine.webhookDelivered(connectionId: connectionId, itemId: itemId)
            }
            return Response(status: .ok)
        }
    }
}
