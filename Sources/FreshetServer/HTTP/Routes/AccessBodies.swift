import Foundation
import Freshet

/// `POST /api/v1/access-events`: `{"eventId","type","connection","user","role"}`, nothing else.
struct AccessEventBody: JSONRequestBody {
    var eventId: String
    var type: String
    var connection: String
    var user: String
    var role: String

    static let shape = JSONShape.object(["eventId": .value, "type": .value, "connection": .value, "user": .value, "role": .value])

    /// The event, or a 400 naming the empty field or a `type` other than granted / revoked.
    func event() throws -> AccessEvent {
        for (name, value) in [("eventId", eventId), ("connection", connection), ("user", user), ("role", role)]
        where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ProblemDocument.badRequest("Field \"\(name)\" must not be empty.", field: name)
        }
        guard let kind = AccessEventKind(rawValue: type) else {
            throw ProblemDocument.badRequest("Field \"type\" must be granted or revoked.", field: "type")
        }
        return AccessEvent(eventId: eventId, type: kind, connection: connection, user: user, role: role)
    }
}

/// An access event's record as the API shows it: the record's fields plus `repeated`.
struct AccessEventView: Encodable {
    var record: AccessEventRecord
    var repeated: Bool?

    enum CodingKeys: String, CodingKey { case repeated }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(repeated, forKey: .repeated)
    }
}

/// The problem document of an event that did not end `applied` or `unchanged`: the RFC 9457
/// members plus `event`, the recorded outcome.
struct AccessEventProblem: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String
    var event: AccessEventView

    /// The status and problem for a result, or nil when it is a 200.
    /// - `pending`: 409 (another delivery of this id is being handled; send it again later);
    /// - `refused`: 422 with the rule's message (valid roles, first sign-in, administrator PAT);
    /// - `failed`: 503 with Tableau's words (unreachable, 429 or 5xx; sending the id again retries).
    init?(_ result: AccessEventResult, path: String) {
        let record = result.record
        switch record.status {
        case .applied, .unchanged:
            return nil
        case .pending:
            (type, title, status) = ("access-event-pending", "Access event in progress", 409)
        case .refused:
            (type, title, status) = ("access-event-refused", "Access event refused", 422)
        case .failed:
            (type, title, status) = ("access-event-failed", "Tableau could not apply the access event", 503)
        }
        type = "urn:freshet:problem:" + type
        detail = record.status == .pending
            ? "Event \(record.eventId) is being handled by another delivery; send it again to read its outcome."
            : record.message
        instance = path
        event = AccessEventView(record: record, repeated: result.repeated)
    }
}

/// The answer of `GET /api/v1/access-events`.
struct AccessEventList: Encodable {
    var events: [AccessEventRecord]
}
