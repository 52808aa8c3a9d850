import Foundation
import Freshet
import FreshetPostgres
import FreshetSQLite
import GRDB
import Synchronization
import Testing

/// Everything the engine asks of a store, as one type (the SQLite and PostgreSQL stores are all of it).
typealias ConformingStore = ConnectionStore & SessionStore & AuditStore & RunStore & TokenStore & CredentialLifetimeStore

/// The stores the conformance suite runs against, unchanged: the in-memory reference, SQLite and
/// PostgreSQL (the server named by `FRESHET_TEST_POSTGRES_URL`, which `scripts/test` starts; a
/// developer may set `FRESHET_TEST_SKIP_POSTGRES=1` to leave PostgreSQL out — never in CI).
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case inMemory, sqlite, postgres

    var testDescription: String { rawValue }

    /// The kinds this run covers.
    static var all: [StoreKind] { PostgresTestServer.skipped ? [.inMemory, .sqlite] : allCases }

    /// The kinds backed by a database that other handles (processes) can open too.
    static var shared: [StoreKind] { all.filter { $0 != .inMemory } }

    /// A fresh, empty store, and how to clean up after it.
    func make() async throws -> (store: any ConformingStore, cleanUp: @Sendable () -> Void) {
        let handles = try await makeHandles(1)
        return (handles.stores[0], handles.cleanUp)
    }

    /// `count` handles on one fresh database, as `count` processes would have (the in-memory store
    /// is one actor, shared), and how to clean up after them.
    func makeHandles(_ count: Int) async throws -> (stores: [any ConformingStore], cleanUp: @Sendable () -> Void) {
        switch self {
        case .inMemory:
            let store = InMemoryStore()
            return (Array(repeating: store, count: count), {})
        case .sqlite:
            let directory = try TemporaryDirectory()
            let databases = try (0..<count).map { _ in try SQLiteDatabase(path: directory.databasePath) }
            return (databases.map(SQLiteStore.init(database:)), { for database in databases { try? database.close() }; directory.remove() })
        case .postgres:
            let databases = try await PostgresTestServer.databases(count)
            return (databases.map(PostgresStore.init(database:)), { PostgresTestServer.drop(databases) })
        }
    }

    /// An access-event store of this kind (in memory: ``InMemoryAccessEventStore``), `count` handles.
    func makeAccessEventStores(_ count: Int) async throws -> (stores: [any AccessEventStore], cleanUp: @Sendable () -> Void) {
        switch self {
        case .inMemory:
            let store = InMemoryAccessEventStore()
            return (Array(repeating: store, count: count), {})
        case .sqlite, .postgres:
            let (stores, cleanUp) = try await makeHandles(count)
            return (stores.map { $0 as! any AccessEventStore }, cleanUp)
        }
    }
}

/// The PostgreSQL server the tests use: each store gets a schema of its own on it.
enum PostgresTestServer {
    static let urlVariable = "FRESHET_TEST_POSTGRES_URL"
    static let skipVariable = "FRESHET_TEST_SKIP_POSTGRES"

    /// Whether a developer asked to leave PostgreSQL out (ignored in CI).
    static var skipped: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment[skipVariable] == "1" && environment["CI"] != "true" && (environment[urlVariable] ?? "").isEmpty
    }

    static func url() throws -> PostgresURL {
        guard let text = ProcessInfo.processInfo.environment[urlVariable], !text.isEmpty else {
            throw StoreError(
                "\(urlVariable) is not set: run the tests through scripts/test (which starts a private PostgreSQL cluster), "
                    + "or start one with `eval \"$(scripts/postgres-test-cluster start)\"`; "
                    + "outside CI, \(skipVariable)=1 leaves PostgreSQL out")
        }
        return try PostgresURL(parsing: text)
    }

    /// `count` pools on one new schema (migrated unless `migrated` is false); each pool runs
    /// until ``drop(_:)``.
    static func databases(_ count: Int, migrated: Bool = true) async throws -> [PostgresDatabase] {
        let url = try url()
        let schema = "freshet_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        var databases: [PostgresDatabase] = []
        for _ in 0..<count {
            let database = try PostgresDatabase(url: url, schema: String(schema), maximumConnections: 4)
            runners.withLock { $0[ObjectIdentifier(database)] = Task { try? await database.run() } }
            databases.append(database)
        }
        if migrated { try await databases[0].migrate() }
        return databases
    }

    /// Drops the schema of `databases` and stops their pools (in the background).
    static func drop(_ databases: [PostgresDatabase]) {
        let tasks = runners.withLock { runners in databases.compactMap { runners.removeValue(forKey: ObjectIdentifier($0)) } }
        Task {
            try? await databases.first?.dropSchema()
            for task in tasks { task.cancel() }
        }
    }

    private static let runners = Mutex<[ObjectIdentifier: Task<Void, Never>]>([:])
}

/// SQL run directly on the database behind a store (what it holds, what it refuses).
enum RawSQL {
    /// Runs `sql` on `store`'s database; each row as text.
    static func rows(_ sql: String, in store: any ConformingStore) async throws -> [String] {
        switch store {
        case let store as SQLiteStore:
            return try await store.database.writer.write { db in try Row.fetchAll(db, sql: sql).map(\.description) }
        case let store as PostgresStore:
            return try await store.database.rawRows(sql)
        default:
            throw StoreError("\(type(of: store)) has no database")
        }
    }
}
