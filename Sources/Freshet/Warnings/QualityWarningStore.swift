package import Foundation

/// A data quality warning Freshet put on a data source (or is about to: `warningId` nil until
/// Tableau answered). Freshet removes only warnings it recorded here.
package struct FreshetWarning: Sendable, Equatable, Codable {
    package var connectionId: String
    package var datasourceId: String
    package var datasourceName: String
    /// Tableau's id of the warning; nil while the add call's answer is not stored yet.
    package var warningId: String?
    package var message: String
    /// Why: "refresh:<type>:<luid>" or "pipeline:<name>".
    package var cause: String
    package var createdAt: Date

    package init(connectionId: String, datasourceId: String, datasourceName: String, warningId: String?, message: String, cause: String, createdAt: Date) {
        self.connectionId = connectionId
        self.datasourceId = datasourceId
        self.datasourceName = datasourceName
        self.warningId = warningId
        self.message = message
        self.cause = cause
        self.createdAt = createdAt
    }
}

/// Which connections opted in to data quality warnings, and the warnings Freshet set.
package protocol QualityWarningStore: Sendable {
    /// Ids of the connections with warnings turned on.
    func warningConnections() async throws -> Set<String>
    /// Turns warnings on or off for a connection.
    func setWarnings(connectionId: String, enabled: Bool, actor: String, now: Date) async throws
    /// The warnings Freshet recorded (of one connection, or all).
    func freshetWarnings(connectionId: String?) async throws -> [FreshetWarning]
    /// Records (or replaces) `warning` — first with a nil id (the intent), then with Tableau's id.
    func saveFreshetWarning(_ warning: FreshetWarning) async throws
    /// Forgets the warning Freshet set on `datasourceId`.
    func deleteFreshetWarning(connectionId: String, datasourceId: String) async throws
}
