import Foundation
import Freshet
import FreshetPostgres
import FreshetSQLite
import Logging
import TableauClient

/// What a `freshet` process works with: the data directory (key file, SQLite database), the
/// database (SQLite in the data directory, or PostgreSQL shared by several hosts), the master
/// keys and the services built on them.
public struct FreshetRuntime: Sendable {
    public let dataDirectory: URL
    public let database: any StoreDatabase
    public let store: any FreshetStore
    public let keyring: Keyring
    public let connections: ConnectionService
    /// Run changes stored by other processes (PostgreSQL's LISTEN/NOTIFY); nil for SQLite.
    public let runChanges: (any RunChangeFeed)?
    let logger: Logger

    /// The SQLite database, when the runtime uses one.
    public var sqliteDatabase: SQLiteDatabase? { database as? SQLiteDatabase }

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
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try SQLiteDatabase(path: dataDirectory.appendingPathComponent(Self.databaseFileName).path)
        let store = SQLiteStore(database: database)
        // A new key is created only for a database that holds nothing sealed: a lost key file
        // is never silently replaced by one that cannot open the stored secrets.
        let sealedWith = try store.sealingKeyIdsNow()
        let keyring = try KeySource.load(environment: environment, dataDirectory: dataDirectory, create: sealedWith.isEmpty, needed: sealedWith)
        self.init(dataDirectory: dataDirectory, database: database, store: store, keyring: keyring, runChanges: nil, logger: logger)
    }

    private init(
        dataDirectory: URL, database: any StoreDatabase, store: any FreshetStore, keyring: Keyring, runChanges: (any RunChangeFeed)?,
        logger: Logger
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.store = store
        self.keyring = keyring
        self.runChanges = runChanges
        connections = ConnectionService(store: store, sessions: store, audit: store, keyring: keyring)
        self.logger = logger
        DataDirectoryModes.warnAboutWiderModes(in: dataDirectory, logger: logger)
    }

    /// The environment variable naming a PostgreSQL database (`postgres://USER@HOST:PORT/DB`).
    public static let databaseURLVariable = "FRESHET_DATABASE_URL"

    /// Opens the runtime on the PostgreSQL database `databaseURL` (else `FRESHET_DATABASE_URL`)
    /// or, when neither is given, on the SQLite database in `dataDirectory`. The data directory
    /// holds the key file unless `FRESHET_MASTER_KEY` is set; every host sharing a PostgreSQL
    /// database needs the same key. PostgreSQL is migrated first when `migrate` is true;
    /// otherwise it must already be (`freshet migrate`).
    /// - Throws: ``RuntimeError`` (bad URL, unmigrated database, secrets sealed by a key this
    ///   host lacks), PostgreSQL's or SQLite's error; no message holds a password.
    public static func open(
        dataDirectory: URL = FreshetRuntime.dataDirectory(), databaseURL: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, migrate: Bool = true,
        logger: Logger = Logger(label: "freshet", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> FreshetRuntime {
        guard let text = databaseURL ?? environment[databaseURLVariable], !text.isEmpty else {
            return try FreshetRuntime(dataDirectory: dataDirectory, environment: environment, logger: logger)
        }
        guard PostgresURL.isPostgres(text) else {
            throw RuntimeError("The database must be a postgres://USER@HOST:PORT/DATABASE URL (SQLite is chosen with --data-dir).")
        }
        let url: PostgresURL
        do { url = try PostgresURL(parsing: text, environment: environment) } catch { throw RuntimeError("\(error)") }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try PostgresDatabase(url: url, logger: logger)
        // The pool lives as long as the process.
        Task.detached { try? await database.run() }
        if migrate {
            try await database.migrate()
        } else if try await !database.isMigrated() {
            throw RuntimeError(
                "The database \(url) is not migrated to this build's schema (version \(PostgresDatabase.latestSchemaVersion)): run `freshet migrate`.")
        }
        let store = PostgresStore(database: database)
        let sealedWith = try await store.sealingKeyIds()
        let keyring = try KeySource.load(environment: environment, dataDirectory: dataDirectory, create: sealedWith.isEmpty, needed: sealedWith)
        return FreshetRuntime(
            dataDirectory: dataDirectory, database: database, store: store, keyring: keyring,
            runChanges: PostgresRunChangeFeed(database: database), logger: logger)
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

/// Why a runtime could not be opened (never holds a password).
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
