import Foundation
import Freshet
package import Logging
package import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Freshet's PostgreSQL database: a pool of connections (``PostgresClient``) shared by every store
/// of one process, while any number of processes on any number of hosts share the database.
///
/// The pool works only while ``run()`` runs (it is a ServiceLifecycle `Service`): start it in a
/// task or a service group before the first query, then call ``migrate()`` (or check
/// ``isMigrated()`` when another process migrates).
package final class PostgresDatabase: Service, Sendable {
    /// The connection pool.
    package let client: PostgresClient
    /// Where the database is (its description never shows the password).
    package let url: PostgresURL
    /// The schema the tables live in (nil: the connection's default `search_path`, normally `public`).
    package let schema: String?
    let logger: Logger

    /// A pool of at most `maximumConnections` connections to `url`.
    /// - Parameter schema: a schema of its own, created by ``migrate()`` (tests use one each).
    /// - Throws: ``PostgresURLError`` when the CA file cannot be read.
    /// - Parameter timeout: how long an operation waits for a connection before PostgreSQL counts
    ///   as unreachable; nil: `FRESHET_DATABASE_TIMEOUT_SECONDS`, else ``defaultTimeout``.
    package init(
        url: PostgresURL, schema: String? = nil, maximumConnections: Int = 10, timeout: Duration? = nil,
        logger: Logger = Logger(label: "freshet.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
            tls: try Self.tls(url))
        let timeout = timeout ?? Self.configuredTimeout(ProcessInfo.processInfo.environment)
        self.leaseTimeout = timeout
        configuration.options.maximumConnections = max(2, maximumConnections)
        configuration.options.connectTimeout = timeout
        if let schema {
            guard Self.isPlainIdentifier(schema) else { throw PostgresURLError("A schema name is lower-case letters, digits and _") }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.url = url
        self.schema = schema
        self.logger = logger
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.client.run()
        }
    }

    /// Drops ``schema`` and everything in it (tests that use a schema each).
    package func dropSchema() async throws {
        guard let schema else { return }
        _ = try await rows(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"))
    }

    /// How long an operation waits for a pooled connection before PostgreSQL counts as
    /// unreachable, unless configured (the pool itself would keep trying for a minute).
    package static let defaultTimeout: Duration = .seconds(5)

    /// This database's wait for a connection (see ``init(url:schema:maximumConnections:timeout:logger:)``).
    package let leaseTimeout: Duration

    /// `FRESHET_DATABASE_TIMEOUT_SECONDS` (a positive number), else ``defaultTimeout``.
    static func configuredTimeout(_ environment: [String: String]) -> Duration {
        guard let text = environment["FRESHET_DATABASE_TIMEOUT_SECONDS"], let seconds = Double(text), seconds > 0, seconds <= 3600 else {
            return defaultTimeout
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// Runs `body` with one pooled connection, or throws ``StoreError`` when none can be had
    /// within ``leaseTimeout`` or the connection closes under it (``failingWhenClosed(_:_:)``).
    /// Errors are mapped by ``storeError(_:)``.
    func withLease<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let leased = LeaseFlag()
        let (client, url, leaseTimeout) = (self.client, self.url, self.leaseTimeout)
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        leased.set()
                        return try await Self.failingWhenClosed(connection) { try await body(connection) }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: leaseTimeout)
                    if leased.isSet { return nil }
                    throw StoreError("PostgreSQL is unreachable: no connection to \(url) within \(leaseTimeout)")
                }
                while let next = try await group.next() {
                    if let value = next {
                        group.cancelAll()
                        return value
                    }
                }
                throw CancellationError()
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await withLease { connection in try await Self.transaction(on: connection, logger: logger, body) }
    }

    /// `transaction(_:)` for a body that cannot escape (no lease timeout).
    func transactionWithoutTimeout<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return value
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    private static func transaction<T: Sendable>(
        on connection: PostgresConnection, logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            let value = try await body(connection)
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Runs `body` with one pooled connection (no explicit transaction).
    func connection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withLease(body)
    }

    /// Runs one statement outside an explicit transaction and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let logger = self.logger
        return try await withLease { connection in try await Self.rows(query, on: connection, logger: logger) }
    }

    /// Runs one statement on `connection` and collects its rows.
    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
        return rows
    }

    /// The SQLSTATE of a server error (`23505` unique violation…), or nil.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// PostgreSQL's errors as a ``StoreError`` that says what went wrong without the query's
    /// values; any other error unchanged.
    static func storeError(_ error: any Error) -> any Error {
        if "\(type(of: error))".contains("ConnectionPoolError") { return StoreError("PostgreSQL is unreachable (\(error))") }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                // Class 23: integrity constraint violations (a name or id taken…), as SQLite's.
                let code: StoreError.Code = error.serverInfo?[.sqlState]?.hasPrefix("23") == true ? .conflict : .unavailable
                return StoreError(code, "PostgreSQL refused: \(message)")
            }
            return StoreError("PostgreSQL is unreachable (\(error.code))")
        }
        if error is PostgresDecodingError { return StoreError(.corrupt, "PostgreSQL sent a value Freshet cannot read") }
        // The caller's own errors (a transform that threw, a StoreError, cancellation) pass unchanged.
        return error
    }

    static func isPlainIdentifier(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 63 && name.first.map { !$0.isNumber } == true
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    private static func tls(_ url: PostgresURL) throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch url.tlsMode {
        case .disable:
            return .disable
        case .prefer:
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            if let caFile = url.caFile {
                guard FileManager.default.isReadableFile(atPath: caFile) else {
                    throw PostgresURLError("Cannot read the CA file \(caFile) (sslrootcert)")
                }
                tls.trustRoots = .file(caFile)
            }
            return .require(tls)
        }
    }
}

extension PostgresDatabase {
    /// Runs `sql` as is and returns each row's text cells joined by "|" (tests that look at what
    /// the database holds, or check what it refuses).
    package func rawRows(_ sql: String) async throws -> [String] {
        try await rows(PostgresQuery(unsafeSQL: sql)).map { row in
            row.map { cell in ((try? cell.decode(String?.self)) ?? nil) ?? "" }.joined(separator: "|")
        }
    }
}

/// Whether an operation got its connection (set once, read by the lease timeout).
final class LeaseFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
