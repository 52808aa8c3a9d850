import Foundation

/// What an access-management system reports.
package enum AccessEventKind: String, Sendable, Codable, CaseIterable {
    /// The user was granted a role: provision it.
    case granted
    /// A grant was revoked: deprovision, if it is the role the user has.
    case revoked
}

/// One access event, as delivered (HTTP body or CLI): the JSON form is
/// `{"eventId":"…","type":"granted","connection":"prod","user":"ana@example.com","role":"Creator"}`.
package struct AccessEvent: Sendable, Equatable, Codable {
    /// The sender's id for this event; a repeated id returns the first outcome.
    package var eventId: String
    package var type: AccessEventKind
    /// The connection's name (or id).
    package var connection: String
    /// The Tableau username or email.
    package var user: String
    /// The granted or revoked site role.
    package var role: String

    package init(eventId: String, type: AccessEventKind, connection: String, user: String, role: String) {
        self.eventId = eventId
        self.type = type
        self.connection = connection
        self.user = user
        self.role = role
    }

    /// Trims the fields and checks none is empty (the role itself is judged by the rules, and
    /// recorded).
    package func validated() throws(AccessError) -> AccessEvent {
        var event = self
        event.eventId = eventId.trimmingCharacters(in: .whitespacesAndNewlines)
        event.connection = connection.trimmingCharacters(in: .whitespacesAndNewlines)
        event.user = user.trimmingCharacters(in: .whitespacesAndNewlines)
        event.role = role.trimmingCharacters(in: .whitespacesAndNewlines)
        if event.eventId.isEmpty { throw .invalidRequest("The access event needs an eventId") }
        if event.eventId.count > 200 { throw .invalidRequest("The access event's eventId is longer than 200 characters") }
        if event.connection.isEmpty { throw .invalidRequest("The access event needs a connection") }
        if event.user.isEmpty { throw .invalidRequest("The access event needs a user (Tableau username or email)") }
        if event.role.isEmpty { throw .invalidRequest("The access event needs a role") }
        return event
    }
}
