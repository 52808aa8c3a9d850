import Foundation
import Freshet
import FreshetSQLite
import Logging
import TableauClient

/// What a local `freshet` process works with: the data directory, its SQLite database, the
/// master keys and the services built on them.
public struct FreshetRuntime: Sendable {
    public let dataDirectory: URL
    public let database: SQLiteDatabase
    public let store: SQLiteStore
    public let keyring: Keyring
    public let connections: ConnectionService
    let logger: Logger

    /// The data directory: `FRESHET_DATA_DIR`, else `~/.freshet`.
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["FRESHET_DATA_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".freshet")
    }

    /// Opens (creating on first use) the data directory, database and key file.
    public init(
        dataDirectory: URL = FreshetRuntime.dataDirectory(), environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "freshet", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.dataDirectory = dataDirectory
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        database = try SQLiteDatabase(path: dataDirectory.appendingPathComponent(Self.databaseFileName).path)
        store = SQLiteStore(database: database)
        // A new key is created only for a database that holds nothing sealed: a lost key file
        // is never silently replaced by one that cannot open the stored secrets.
        let sealedWith = try store.sealingKeyIdsNow()
        keyring = try KeySource.load(environment: environment, dataDirectory: dataDirectory, create: sealedWith.isEmpty, needed: sealedWith)
        connections = ConnectionService(store: store, sessions: store, audit: store, keyring: keyring)
        self.logger = logger
        DataDirectoryModes.warnAboutWiderModes(in: dataDirectory, logger: logger)
    }

    /// The database file's name in the data directory.
    public static let databaseFileName = "freshet.sqlite"

    /// A Tableau client for a stored connection, sharing its session with every other process
    /// that uses this database, sending its calls through `transport` (e.g. a ``MeteredTransport``).
    public func client(
        for name: String, actor: String = "system", retry: RetryPolicy = RetryPolicy(),
        transport: any TableauTransport = AsyncHTTPClientTransport()
    ) async throws -> TableauClient {
        let (connection, secret) = try await connections.credentials(named: name)
        let credentials: Credentials
        switch connection.auth {
        case .personalAccessToken(let patName):
            credentials = .personalAccessToken(name: patName, secret: secret)
        case .connectedApp(let clientId, let secretId, let username, let scopes):
            credentials = .connectedApp(.init(clientId: clientId, secretId: secretId, secretValue: secret, username: username, scopes: scopes))
        }
        let server = try ServerAddress(connection.server.baseURL, allowInsecureHTTP: connection.server.usesHTTP)
        let configuration = TableauConfiguration(
            server: server, siteContentUrl: connection.siteContentUrl, credentials: credentials,
            apiVersion: connection.apiVersionPin ?? "3.24", negotiateVersion: connection.apiVersionPin == nil, retry: retry, logger: logger
        )
        let cache = StoreSessionCache(
            connectionId: connection.id, connectionName: connection.name, store: store, audit: store, actor: actor, keyring: keyring,
            lifetime: 100 * 60
        )
        return TableauClient(configuration: configuration, transport: transport, sessionCache: cache)
    }

    /// Rotates the master key (key file) or re-seals under the current one (`FRESHET_MASTER_KEY`).
    public func rotateMasterKey(actor: String, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> KeyRotation.Outcome {
        let usesEnvironment = !(environment[KeySource.environmentKey] ?? "").isEmpty
        let file = dataDirectory.appendingPathComponent(KeySource.fileName)
        let (_, outcome) = try await KeyRotation(store: store, audit: store).rotate(
            keyring, to: usesEnvironment ? nil : .generate(), actor: actor,
            persist: { keyring in try KeySource.write(keyring, to: file) }
        )
        return outcome
    }

    /// Runs the four health checks on a stored connection.
    public func check(_ name: String, actor: String) async throws -> [HealthCheckResult] {
        // A check answers quickly: one short retry, not the backoff a refresh run can afford.
        let client = try await client(for: name, actor: actor, retry: RetryPolicy(maxRetries: 1, initialDelay: .milliseconds(200)))
        return try await connections.check(named: name, gateway: ClientHealthGateway(client: client), actor: actor)
    }
}
