import Foundation
import Freshet
import FreshetAPITypes

/// The engine's views as the API's types (generated from openapi.yaml): the commands that also
/// work over `--server` show what they read in these types, and read the local database into
/// them here, so that both modes print the same thing and neither can show a field the
/// document does not have.
typealias APIConnection = Components.Schemas.Connection
typealias APICheck = Components.Schemas.HealthCheckResult
typealias APIAuditEvent = Components.Schemas.AuditEvent
typealias APIFreshness = Components.Schemas.Freshness
typealias APIFreshnessPolicy = Components.Schemas.FreshnessPolicy
typealias APIPipelineEvent = Components.Schemas.PipelineEvent
typealias APIPipelineEventAnswer = Operations.PostApiV1PipelineEvents.Output.Ok.Body.JsonPayload
typealias APIAlertRoute = Components.Schemas.AlertRoute
typealias APIAlertRouteAdded = Operations.PostApiV1AlertsRoutes.Output.Created.Body.JsonPayload
typealias APIAlertDelivery = Components.Schemas.AlertDelivery
typealias APIQualityWarnings = Operations.GetApiV1QualityWarnings.Output.Ok.Body.JsonPayload
typealias APIQualityWarning = APIQualityWarnings.WarningsPayloadPayload

/// A value of the engine that the API's document does not allow (an enum member it lacks).
struct NotInTheAPIDocument: Error, CustomStringConvertible {
    var value: String
    var type: String
    var description: String { "\"\(value)\" is no \(type) the API's document knows (openapi.yaml and the engine disagree)" }
}

extension RawRepresentable where RawValue == String {
    /// The member named `raw`, or an error naming it.
    init(api raw: String) throws {
        guard let value = Self(rawValue: raw) else { throw NotInTheAPIDocument(value: raw, type: String(describing: Self.self)) }
        self = value
    }
}

extension Components.Schemas.Connection {
    init(_ view: ConnectionView) throws {
        self.init(
            id: view.id, name: view.name, displayName: view.displayName, serverURL: view.serverURL, siteContentUrl: view.siteContentUrl,
            authKind: try .init(api: view.authKind), patName: view.patName, clientId: view.clientId, secretId: view.secretId, username: view.username,
            scopes: view.scopes, secretMasked: view.secretMasked, secretRef: view.secretRef, apiVersionPin: view.apiVersionPin,
            keepAliveDays: view.keepAliveDays, expiryWarningDays: view.expiryWarningDays, tokenExpiresAt: view.tokenExpiresAt,
            lastSignInAt: view.lastSignInAt, createdAt: view.createdAt, updatedAt: view.updatedAt)
    }
}

extension Components.Schemas.HealthCheckResult {
    init(_ result: HealthCheckResult) throws {
        self.init(check: try .init(api: result.check.rawValue), passed: result.passed, warning: result.warning, message: result.message, tableauError: result.tableauError)
    }

    /// The check's name as shown.
    var title: String { HealthCheck(rawValue: check.rawValue)?.title ?? check.rawValue }
}

extension Components.Schemas.AuditEvent {
    init(_ event: AuditEvent) throws {
        self.init(
            sequence: event.sequence.map { Int($0) }, time: event.time, actor: event.actor, action: event.action, target: event.target,
            outcome: try .init(api: event.outcome), details: .init(additionalProperties: event.details))
    }
}

extension Components.Schemas.Freshness {
    init(_ view: FreshnessView) throws {
        self.init(
            connectionId: view.connectionId, connection: view.connection, itemType: try .init(api: view.itemType), itemId: view.itemId,
            itemName: view.itemName, project: view.project, lastSuccessAt: view.lastSuccessAt, lastSuccessRunId: view.lastSuccessRunId,
            ageSeconds: view.ageSeconds, lastFailureAt: view.lastFailureAt, lastFailureRunId: view.lastFailureRunId,
            lastFailureReason: view.lastFailureReason,
            stale: view.stale, staleReason: try view.staleReason.map { try StaleReasonPayload(api: $0) },
            pipelineFailure: view.pipelineFailure.map { .init(pipeline: $0.pipeline, eventId: $0.eventId, at: $0.at, reason: $0.reason) },
            staleSince: view.staleSince, maxAgeSeconds: view.maxAgeSeconds, policyScope: try view.policyScope.map { try PolicyScopePayload(api: $0) })
    }
}

extension Components.Schemas.FreshnessPolicy {
    init(_ view: FreshnessPolicyView) throws {
        self.init(
            scope: try .init(api: view.scope), connectionId: view.connectionId, connection: view.connection, project: view.project,
            itemType: try view.itemType.map { try ItemTypePayload(api: $0) }, itemId: view.itemId, itemName: view.itemName, maxAgeSeconds: view.maxAgeSeconds,
            setBy: view.setBy, setAt: view.setAt)
    }
}

extension Components.Schemas.PipelineEvent {
    init(_ view: PipelineEventView) throws {
        self.init(
            eventId: view.eventId, connectionId: view.connectionId, pipeline: view.pipeline, status: try .init(api: view.status), reason: view.reason,
            targets: view.targets, actor: view.actor, receivedAt: view.receivedAt,
            items: try view.items.map { ItemsPayloadPayload(itemType: try .init(api: $0.itemType), itemId: $0.itemId, itemName: $0.itemName, project: $0.project) })
    }
}

extension Components.Schemas.AlertRoute {
    init(_ view: AlertRouteView) throws {
        self.init(
            id: view.id, name: view.name, format: try .init(api: view.format), url: view.url, signed: view.signed, connectionId: view.connectionId,
            project: view.project, kinds: view.kinds, createdAt: view.createdAt, createdBy: view.createdBy)
    }
}

extension Components.Schemas.AlertDelivery {
    init(_ view: AlertDeliveryView) throws {
        self.init(
            id: view.id, eventId: view.eventId, kind: view.kind, summary: view.summary, route: view.route, status: try .init(api: view.status),
            attempts: view.attempts, nextAttemptAt: view.nextAttemptAt, lastError: view.lastError, createdAt: view.createdAt,
            deliveredAt: view.deliveredAt, connectionId: view.connectionId, itemName: view.itemName, runId: view.runId)
    }
}

extension APIQualityWarning {
    init(_ warning: FreshetWarning) {
        self.init(
            connectionId: warning.connectionId, datasourceId: warning.datasourceId, datasourceName: warning.datasourceName,
            warningId: warning.warningId, message: warning.message, cause: warning.cause, createdAt: warning.createdAt)
    }
}
