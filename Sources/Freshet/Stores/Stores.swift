package import Foundation

/// A connection with its sealed secret (PAT secret or connected-app secret value).
package struct StoredConnection: Sendable, Equatable {
    package var connection: Connection
    /// `fsk1:<key id>:…` — see ``Keyring``; empty when the connection reads its secret from a
    /// ``SecretReference``.
    package var sealedSecret: String

    package init(connection: Connection, sealedSecret: String) {
        self.connection = connection
        self.sealedSecret = sealedSecret
    }
}

/// A Tableau session shared through the store: token sealed like any secret.
package struct StoredSession: Sendable, Equatable {
    package var connectionId: String
    package var sealedToken: String
    package var siteId: String
    package var siteContentUrl: String
    package var userId: String
    package var apiVersion: String
    package var signedInAt: Date
    /// When Freshet stops reusing it (before Tableau's own session lifetime ends).
    package var expiresAt: Date

    package init(
        connectionId: String, sealedToken: String, siteId: String, siteContentUrl: String, userId: String, apiVersion: String,
        signedInAt: Date, expiresAt: Date
    ) {
        self.connectionId = connectionId
        self.sealedToken = sealedToken
        self.siteId = siteId
        self.siteContentUrl = siteContentUrl
        self.userId = userId
        self.apiVersion = apiVersion
        self.signedInAt = signedInAt
        self.expiresAt = expiresAt
    }
}

/// Why a store refused or failed. Callers decide by ``code``, never by the message: HTTP
/// status and problem type derive from it (docs/decisions/0008-typed-error-codes.md).
package struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; stable across releases.
    package enum Code: String, Sendable, Equatable {
        /// The thing asked for does not exist (HTTP 404).
        case notFound
        /// A name or id is taken (HTTP 409).
        case conflict
        /// The database holds a value this build cannot read (HTTP 503; the operator must look).
        case corrupt
        /// The database could not be read or written: disk full, locked, closed, unreachable (HTTP 503).
        case unavailable
    }

    package let code: Code
    /// What went wrong, for logs and people; may quote the database's own words, so HTTP
    /// answers show it only for ``Code/notFound`` and ``Code/conflict``.
    package let description: String

    /// A failure of kind `code`.
    package init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// A storage failure (``Code/unavailable``) described by `description`.
    package init(_ description: String) {
        self.init(.unavailable, description)
    }

    package static func duplicateName(_ name: String) -> StoreError {
        StoreError(.conflict, "A connection named \"\(name)\" already exists")
    }

    package static func notFound(_ name: String) -> StoreError {
        StoreError(.notFound, "No connection named \"\(name)\"")
    }

    /// Whether the caller's request names something that does not exist or is taken (as opposed
    /// to the store failing).
    package var isRefusal: Bool { code == .notFound || code == .conflict }
}

/// An error of a storage library (a database driver) that stands for a ``StoreError``: HTTP
/// routes and commands turn it into that error's status instead of a 500. Drivers conform
/// their own error type (FreshetSQLite: GRDB's `DatabaseError`).
package protocol StoreErrorConvertible: Error {
    /// The store error this failure stands for (usually ``StoreError/Code/unavailable``).
    var storeError: StoreError { get }
}

extension StoreError {
    /// `error` as a store error when it is one or stands for one.
    package static func from(_ error: any Error) -> StoreError? {
        if let error = error as? StoreError { return error }
        return (error as? any StoreErrorConvertible)?.storeError
    }
}

/// Connections and their sealed secrets.
package protocol ConnectionStore: Sendable {
    /// Adds a connection; throws ``StoreError/duplicateName(_:)`` when the name is taken.
    func insert(_ stored: StoredConnection) async throws
    /// Replaces a connection; the sealed secret is replaced only when `sealedSecret` is given.
    func update(_ connection: Connection, sealedSecret: String?) async throws
    func connection(named name: String) async throws -> StoredConnection?
    func connection(id: String) async throws -> StoredConnection?
    /// All connections, by name.
    func connections() async throws -> [StoredConnection]
    /// Removes a connection and its session; returns whether it existed.
    func delete(id: String) async throws -> Bool
    /// Re-seals every sealed value (connection secrets and session tokens) with `transform`, in
    /// one transaction: an interruption leaves all old values or all new ones. Empty values
    /// (connections whose secret lives behind a reference) are left as they are.
    func resealAll(_ transform: @Sendable (String) throws -> String) async throws -> Int
    /// Ids of the keys that sealed stored values.
    func sealingKeyIds() async throws -> Set<String>
}

/// Shared Tableau sessions and the leases that make one process sign in at a time.
package protocol SessionStore: Sendable {
    func session(connectionId: String) async throws -> StoredSession?
    func save(_ session: StoredSession) async throws
    /// Removes the session, but only if it still holds `sealedToken` when given.
    func deleteSession(connectionId: String, sealedToken: String?) async throws
    /// Takes or renews the lease `name` for `holder` until `until`; false when another holder has it.
    func acquireLease(_ name: String, holder: String, until: Date, now: Date) async throws -> Bool
    func releaseLease(_ name: String, holder: String) async throws
}

/// The append-only audit log.
package protocol AuditStore: Sendable {
    func append(_ event: AuditEvent) async throws
    /// Appends `events` in order (in one transaction where the store can).
    func append(contentsOf events: [AuditEvent]) async throws
    func events(_ query: AuditQuery) async throws -> [AuditEvent]
}

extension AuditStore {
    /// One append per event.
    package func append(contentsOf events: [AuditEvent]) async throws {
        for event in events { try await append(event) }
    }
}
