package import Foundation
package import Freshet
import FreshetPostgres
package import FreshetSQLite
package import Logging
package import TableauClient

/// What a `freshet` process works with: the data directory (key file, SQLite database), the
/// database (SQLite in the data directory, or PostgreSQL shared by several hosts), the master
/// keys and the services built on them.
package struct FreshetRuntime: Sendable {
    package let dataDirectory: URL
    package let database: any StoreDatabase
    package let store: any FreshetStore
    package let keyring: Keyring
    /// Where the master keys came from (decides how ``rotateMasterKey(actor:)`` rotates).
    package let keyOrigin: KeySource.Origin
    package let connections: ConnectionService
    /// The store's connections, read at most once a second by the refresh path; changes made
    /// through ``connections`` are seen at once.
    package let cachedConnections: CachingConnectionStore
    /// Run changes stored by other processes (PostgreSQL's LISTEN/NOTIFY); nil for SQLite.
    package let runChanges: (any RunChangeFeed)?
    /// Reads secret references, keeping values in memory only (shared by all clients of this process).
    package let secrets: SecretResolver
    /// Token lifetimes recorded at each sign-in.
    package let lifetimes: TokenLifetimes
    /// The clock lifetimes and keep-alive run on (a manual clock in tests).
    package let clock: any RunClock
    let logger: Logger

    /// The SQLite database, when the runtime uses one.
    package var sqliteDatabase: SQLiteDatabase? { database as? SQLiteDatabase }

    /// The data directory: `FRESHET_DATA_DIR`, else `~/.freshet`.
    package static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["FRESHET_DATA_DIR"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".freshet")
    }

    /// The variable that sets how long an `exec:` secret helper may run, in seconds (default 10).
    package static let helperTimeoutVariable = "FRESHET_SECRET_HELPER_TIMEOUT"

    /// Opens (creating on first use) the data directory, database and key file. `environment`
    /// is also what `env:` references and `exec:` helpers see. With `migrate` false the SQLite
    /// database is neither created nor migrated: it must be at this build's schema already.
    package init(
        dataDirectory: URL = FreshetRuntime.dataDirectory(), environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "freshet", factory: { _ in SwiftLogNoOpLogHandler() }), clock: any RunClock = SystemRunClock(),
        migrate: Bool = true
    ) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try SQLiteDatabase(path: dataDirectory.appendingPathComponent(Self.databaseFileName).path, migrate: migrate)
        let store = SQLiteStore(database: database)
        // A new key is created only for a database that holds nothing sealed: a lost key file
        // is never silently replaced by one that cannot open the stored secrets.
        let sealedWith = try store.sealingKeyIdsNow()
        let helperTimeout = Self.helperTimeout(environment)
        let keys = try KeySource.loadWithOrigin(
            environment: environment, dataDirectory: dataDirectory, create: sealedWith.isEmpty, needed: sealedWith, helperTimeout: helperTimeout)
        self.init(
            dataDirectory: dataDirectory, database: database, store: store, keys: keys, environment: environment, runChanges: nil, logger: logger,
            clock: clock)
    }

    private init(
        dataDirectory: URL, database: any StoreDatabase, store: any FreshetStore, keys: (keyring: Keyring, origin: KeySource.Origin),
        environment: [String: String], runChanges: (any RunChangeFeed)?, logger: Logger, clock: any RunClock
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.store = store
        keyring = keys.keyring
        keyOrigin = keys.origin
        self.runChanges = runChanges
        self.clock = clock
        cachedConnections = CachingConnectionStore(store)
        connections = ConnectionService(store: cachedConnections, sessions: store, audit: store, keyring: keyring, lifetimes: store, now: { clock.now() })
        secrets = SecretResolver(environment: { environment }, helperTimeout: Self.helperTimeout(environment))
        lifetimes = TokenLifetimes(store: store, audit: store, alerts: store, now: { clock.now() })
        self.logger = logger
        DataDirectoryModes.warnAboutWiderModes(in: dataDirectory, logger: logger)
    }

    /// The environment variable naming a PostgreSQL database (`postgres://USER@HOST:PORT/DB`).
    package static let databaseURLVariable = "FRESHET_DATABASE_URL"

    /// Opens the runtime on the PostgreSQL database `databaseURL` (else `FRESHET_DATABASE_URL`)
    /// or, when neither is given, on the SQLite database in `dataDirectory`. The data directory
    /// holds the key file unless `FRESHET_MASTER_KEY` is set; every host sharing a PostgreSQL
    /// database needs the same key. The database is migrated first when `migrate` is true;
    /// otherwise it must already be (`freshet migrate`), and is refused unchanged when it is not.
    /// - Throws: ``RuntimeError`` (bad URL, unmigrated database, secrets sealed by a key this
    ///   host lacks), PostgreSQL's or SQLite's error; no message holds a password.
    package static func open(
        dataDirectory: URL = FreshetRuntime.dataDirectory(), databaseURL: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, migrate: Bool = true,
        logger: Logger = Logger(label: "freshet", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> FreshetRuntime {
        guard let text = databaseURL ?? environment[databaseURLVariable], !text.isEmpty else {
            return try FreshetRuntime(dataDirectory: dataDirectory, environment: environment, logger: logger, migrate: migrate)
        }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try startPostgres(text, environment: environment, logger: logger)
        let url = database.url
        if migrate {
            try await database.migrate()
        } else if try await !database.isMigrated() {
            throw RuntimeError(
                "The database \(url) is not migrated to this build's schema (version \(PostgresDatabase.latestSchemaVersion)): run `freshet migrate`.")
        }
        let store = PostgresStore(database: database)
        let sealedWith = try await store.sealingKeyIds()
        let keys = try KeySource.loadWithOrigin(
            environment: environment, dataDirectory: dataDirectory, create: sealedWith.isEmpty, needed: sealedWith,
            helperTimeout: helperTimeout(environment))
        return FreshetRuntime(
            dataDirectory: dataDirectory, database: database, store: store, keys: keys, environment: environment,
            runChanges: PostgresRunChangeFeed(database: database), logger: logger, clock: SystemRunClock())
    }

    /// A pool on the PostgreSQL database named by `text`, running as long as the process.
    /// - Throws: ``RuntimeError`` when `text` is not a usable postgres:// URL (never shows a password).
    static func startPostgres(_ text: String, environment: [String: String], logger: Logger) throws -> PostgresDatabase {
        guard PostgresURL.isPostgres(text) else {
            throw RuntimeError("The database must be a postgres://USER@HOST:PORT/DATABASE URL (SQLite is chosen with --data-dir).")
        }
        let url: PostgresURL
        do { url = try PostgresURL(parsing: text, environment: environment) } catch { throw RuntimeError("\(error)") }
        let database = try PostgresDatabase(url: url, logger: logger)
        Task.detached { try? await database.run() }
        return database
    }

    /// The database file's name in the data directory.
    package static let databaseFileName = "freshet.sqlite"

    /// A Tableau client for a stored connection, sharing its session with every other process
    /// that uses this database, sending its calls through `transport` (e.g. a ``MeteredTransport``).
    package func client(
        for name: String, actor: String = "system", retry: RetryPolicy = RetryPolicy(),
        transport: any TableauTransport = AsyncHTTPClientTransport(), metrics: EngineMetrics = EngineMetrics()
    ) async throws -> TableauClient {
        let (connection, secret) = try await connections.credentials(named: name)
        let server = try ServerAddress(connection.server.baseURL, allowInsecureHTTP: connection.server.usesHTTP)
        var configuration = TableauConfiguration(
            server: server, siteContentUrl: connection.siteContentUrl, credentials: ReferencedCredentials.credentials(connection, secret: secret ?? ""),
            apiVersion: connection.apiVersionPin ?? "3.24", negotiateVersion: connection.apiVersionPin == nil, retry: retry, logger: logger
        )
        if let reference = connection.secretReference {
            configuration.credentialSource = ReferencedCredentials(connection: connection, reference: reference, resolver: secrets)
        }
        let cache = StoreSessionCache(
            connection: connection, store: store, audit: store, actor: actor, keyring: keyring, lifetime: 100 * 60,
            lifetimes: lifetimes.reporting(to: metrics)
        )
        return TableauClient(configuration: configuration, transport: transport, sessionCache: cache)
    }

    /// Rotates the master key: with a writable key file (the data directory's or
    /// `FRESHET_MASTER_KEY_FILE`) a new key is generated and saved there first; with the key
    /// from `FRESHET_MASTER_KEY`, an `exec:` helper or a read-only key file, whoever keeps the
    /// key changed it already, and everything is re-sealed under the current key.
    package func rotateMasterKey(actor: String) async throws -> KeyRotation.Outcome {
        let file: URL? =
            if case .file(let url) = keyOrigin, FileManager.default.isWritableFile(atPath: url.deletingLastPathComponent().path),
                FileManager.default.isWritableFile(atPath: url.path)
            { url } else { nil }
        let (_, outcome) = try await KeyRotation(store: store, audit: store).rotate(
            keyring, to: file == nil ? nil : .generate(), actor: actor,
            persist: { keyring in if let file { try KeySource.write(keyring, to: file) } }
        )
        return outcome
    }

    /// Runs the five health checks on a stored connection.
    package func check(_ name: String, actor: String) async throws -> [HealthCheckResult] {
        // A check answers quickly: one short retry, not the backoff a refresh run can afford.
        let client = try await client(for: name, actor: actor, retry: Self.checkRetry)
        return try await connections.check(named: name, gateway: ClientHealthGateway(client: client), actor: actor)
    }

    /// `FRESHET_SECRET_HELPER_TIMEOUT` seconds, or the default 10.
    static func helperTimeout(_ environment: [String: String]) -> Duration {
        guard let seconds = environment[helperTimeoutVariable].flatMap(Double.init), seconds > 0 else { return SecretHelper.defaultTimeout }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A check answers quickly: one short retry, not the backoff a refresh run can afford.
    static let checkRetry = RetryPolicy(maxRetries: 1, initialDelay: .milliseconds(200))
}

/// Why a runtime could not be opened (never holds a password).
package struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
