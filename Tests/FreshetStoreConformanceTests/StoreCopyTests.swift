import Foundation
import Freshet
import FreshetPostgres
import FreshetSQLite
import Testing

/// `freshet migrate --from-sqlite`: a SQLite database with every kind of row, copied into
/// PostgreSQL, reads back the same through the PostgreSQL stores (decision store-copy.md).
@Suite(.enabled(if: !PostgresTestServer.skipped)) struct StoreCopyTests {
    /// A new table on either side without its counterpart (or without a row in ``fill(_:keyring:)``)
    /// fails here: every table must be copied.
    @Test func bothSchemasHaveTheSameTables() async throws {
        let databases = try await PostgresTestServer.databases(1)
        defer { PostgresTestServer.drop(databases) }
        #expect(try await databases[0].tableNames() == (try SQLiteSnapshot.schemaTableNames()))
    }

    @Test func aCopyReadsBackTheSameThroughThePostgresStores() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyring = Keyring(current: MasterKey.generate())
        let sqlite = try SQLiteDatabase(path: directory.databasePath)
        let source = SQLiteStore(database: sqlite)
        try await Self.fill(source, keyring: keyring)
        let expected = try await Self.contents(of: source, siteHold: { try await source.siteHold(connectionId: $0, now: Fixtures.now) })
        try sqlite.close()

        let snapshot = try SQLiteSnapshot.read(path: directory.databasePath)
        #expect(snapshot.tables.filter(\.rows.isEmpty).map(\.name) == [], "every table needs a row in this test's fixture")
        let databases = try await PostgresTestServer.databases(1)
        defer { PostgresTestServer.drop(databases) }
        let database = databases[0]

        // A dry run writes everything and rolls it back.
        let dryRun = try await database.importTables(snapshot.tables, commit: false)
        #expect(dryRun.map(\.rows).reduce(0, +) == snapshot.tables.map(\.rows.count).reduce(0, +))
        #expect(try await database.rawRows("SELECT count(*)::text FROM runs") == ["0"])

        var progress: [String] = []
        let copied = try await database.importTables(snapshot.tables) { table, _ in progress.append(table) }
        #expect(progress == copied.map(\.name))
        #expect(Set(copied.map(\.name)) == Set(snapshot.tables.map(\.name)))
        let position = { (name: String) in copied.firstIndex { $0.name == name } ?? -1 }
        #expect(position("connections") < position("sessions") && position("runs") < position("run_keys"))

        let target = PostgresStore(database: database)
        let actual = try await Self.contents(of: target, siteHold: { try await target.siteHold(connectionId: $0, now: Fixtures.now) })
        #expect(actual == expected)
        #expect(actual.runs.count == 7 && actual.audit.count == 2 && actual.tokens.count == 2)

        // Secrets are still sealed under the same key; the copy never saw them in the clear.
        let connection = try #require(try await target.connection(named: "prod"))
        #expect(try keyring.open(connection.sealedSecret) == "pat-secret")
        #expect(try await database.rawRows("SELECT count(*)::text FROM connections WHERE sealed_secret LIKE '%pat-secret%'") == ["0"])
        // Leases came along: another process cannot take the sign-in lease or a leased run.
        #expect(try await !target.acquireLease("signin.prod", holder: "p2", until: Fixtures.later(2000), now: Fixtures.later(1000)))
        #expect(try await target.claimRuns(holder: "p2", until: Fixtures.later(2000), now: Fixtures.later(1000), limit: 10).map(\.id).sorted() == [])
        // The audit log goes on after the copied sequences, and stays append-only.
        try await target.append(AuditEvent(time: Fixtures.later(5000), actor: "cli:ana", action: "token.create", target: "ci", outcome: "ok"))
        #expect(try await target.events(AuditQuery(limit: 1)).first?.sequence == 3)
        await #expect(throws: (any Error).self) { _ = try await database.rawRows("DELETE FROM audit_log") }

        // A second copy is refused: the database is no longer empty, and nothing changes.
        await #expect(throws: PostgresImportError.self) { try await database.importTables(snapshot.tables) }
        #expect(try await database.rawRows("SELECT count(*)::text FROM audit_log") == ["3"])
    }

    @Test func aSQLiteDatabaseBehindThisBuildsSchemaIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let older = try SQLiteDatabase(path: directory.databasePath, migratingUpTo: "v10_freshness")
        try older.close()
        let error = #expect(throws: SQLiteDatabaseError.self) { try SQLiteSnapshot.read(path: directory.databasePath) }
        #expect(error?.description.contains("\"v10_freshness\"") == true && error?.description.contains("run `freshet migrate --data-dir") == true)
        #expect(throws: SQLiteDatabaseError.self) { try SQLiteSnapshot.read(path: directory.url.appendingPathComponent("none.sqlite").path) }
    }

    /// Everything the stores can read back, as one value.
    struct Contents: Equatable {
        var connections: [StoredConnection] = []
        var sessions: [StoredSession?] = []
        var lifetimes: [CredentialLifetime] = []
        var siteHolds: [SiteHold?] = []
        var audit: [AuditEvent] = []
        var runs: [Run] = []
        var active: [Run] = []
        var requests: [StoredRequest?] = []
        var joined: [Run] = []
        var nextLeaseExpiry: Date?
        var tokens: [APIToken] = []
        var accessEvents: [AccessEventRecord] = []
        var freshness: [ItemFreshness] = []
        var policies: [FreshnessPolicy] = []
        var routes: [AlertRoute] = []
        var deliveries: [AlertDelivery] = []
        var pipelineEvents: [PipelineEvent] = []
        var warningConnections: Set<String> = []
        var warnings: [FreshetWarning] = []
    }

    static func contents(
        of store: any FreshnessConformingStore & AccessEventStore, siteHold: (String) async throws -> SiteHold?
    ) async throws -> Contents {
        var contents = Contents()
        contents.connections = try await store.connections()
        for connection in contents.connections {
            contents.sessions.append(try await store.session(connectionId: connection.connection.id))
            contents.siteHolds.append(try await siteHold(connection.connection.id))
        }
        contents.lifetimes = try await store.credentialLifetimes()
        contents.audit = try await store.events(AuditQuery(limit: 10_000))
        contents.runs = try await store.runs(RunQuery(limit: 10_000))
        contents.active = try await store.nonTerminalRuns()
        for key in ["k", "k2"] { contents.requests.append(try await store.request(connectionId: "conn-1", idempotencyKey: key)) }
        contents.joined = try await store.runs(connectionId: "conn-1", idempotencyKey: "joined")
        contents.nextLeaseExpiry = try await store.nextLeaseExpiry(excluding: "p2", now: Fixtures.now)
        contents.tokens = try await store.tokens()
        contents.accessEvents = try await store.accessEvents(AccessEventQuery(limit: 10_000))
        contents.freshness = try await store.freshness(FreshnessQuery())
        contents.policies = try await store.freshnessPolicies()
        contents.routes = try await store.alertRoutes()
        contents.deliveries = try await store.alertDeliveries(AlertDeliveryQuery(limit: 1000))
        contents.pipelineEvents = try await store.pipelineEvents(connectionId: nil, limit: 1000)
        contents.warningConnections = try await store.warningConnections()
        contents.warnings = try await store.freshetWarnings(connectionId: nil)
        return contents
    }

    /// At least one row in every table, written through the stores as Freshet writes them.
    static func fill(_ store: SQLiteStore, keyring: Keyring) async throws {
        let pat = try Fixtures.patConnection()
        try await store.insert(StoredConnection(connection: pat, sealedSecret: try keyring.seal("pat-secret")))
        try await store.insert(StoredConnection(connection: try Fixtures.appConnection(), sealedSecret: try keyring.seal("app-secret")))
        try await store.save(Fixtures.session(connectionId: pat.id, sealedToken: try keyring.seal("session-token")))
        #expect(try await store.acquireLease("signin.prod", holder: "p1", until: Fixtures.later(60_000), now: Fixtures.now))
        try await store.recordSignIn(connectionId: pat.id, at: Fixtures.now, expiresAt: Fixtures.later(86_400_000))
        try await store.holdSite(SiteHold(connectionId: pat.id, until: Fixtures.later(120_000), reason: "HTTP 429: retry after 2 minutes"))
        try await store.append(contentsOf: [
            AuditEvent(time: Fixtures.now, actor: "cli:ana", action: "connection.add", target: "prod", outcome: "ok", details: ["site": "finance"]),
            AuditEvent(time: Fixtures.later(1), actor: "token:ci", action: "run.create", target: "conn-1", outcome: "ok"),
        ])
        // Runs: a request stored whole (request key, runs leased to p1), a second request joining
        // them (run keys), and a run that failed (its freshness and alert delivery).
        try await store.insertAlertRoute(AlertStoreTests.route("all"))
        _ = try await store.submit(RunBatchStoreTests.batch("a", key: "k", holder: "p1"))
        _ = try await store.submit(RunBatchStoreTests.batch("b", key: "k2"))
        let joining = RunStoreFixtures.run("c", key: "joined")
        _ = try await store.create(joining, joiningActive: true)
        let board = RunItem(contentType: .workbook, tableauId: "wb-9", name: "Board")
        var failed = RunStoreFixtures.run("r1", item: board)
        failed.retryPolicy = RunRetryPolicy(maxAttempts: 1, delay: 30)
        failed.projectName = "Finance"
        _ = try await store.create(failed, joiningActive: true)
        try await RunStoreFixtures.drive(store, failed, [.start, .jobQueued(jobId: "j1"), .jobFailed(notes: "Login failed")])
        for number in 1...3 {
            let done = RunStoreFixtures.run("d\(number)", item: RunItem(contentType: .datasource, tableauId: "ds-\(number + 10)", name: "Done \(number)"))
            _ = try await store.create(done, joiningActive: true)
            try await RunStoreFixtures.drive(store, done, [.start, .jobQueued(jobId: "jd\(number)"), .jobSucceeded], at: Fixtures.later(Int64(number) * 100))
        }
        try await store.setFreshnessPolicy(
            FreshnessPolicy(scope: .project(connectionId: "conn-1", name: "Finance"), maxAgeSeconds: 3600, setBy: "cli:ana", setAt: Fixtures.now))
        _ = try await store.recordPipelineEvent(
            PipelineEvent(
                eventId: "e1", connectionId: "conn-1", pipeline: "nightly", status: .failed, reason: "load failed", targets: ["table a.b.c"],
                actor: "token:etl", receivedAt: Fixtures.later(10), items: [PipelineItem(item: board, projectName: "Finance")]))
        try await store.setWarnings(connectionId: "conn-1", enabled: true, actor: "cli:ana", now: Fixtures.now)
        try await store.saveFreshetWarning(
            FreshetWarning(
                connectionId: "conn-1", datasourceId: "ds-1", datasourceName: "Sales", warningId: "w-1", message: "Stale data",
                cause: "refresh:datasource:ds-1", createdAt: Fixtures.now))
        let secret = TokenSecret.generate()
        try await store.insertToken(
            APIToken(
                name: "ci", hash: TokenSecret.hash(secret), hint: TokenSecret.hint(secret), scopes: [.refresh, .auditRead],
                allowList: TokenAllowList(connections: [GlobPattern("prod")]), createdAt: Fixtures.now, createdBy: "cli:ana",
                expiresAt: Fixtures.later(60_000)))
        let revoked = APIToken(
            name: "old", hash: TokenSecret.hash("fsh_old"), hint: "fsh_…old", scopes: [.read], isAdmin: true, createdAt: Fixtures.now, createdBy: "cli:ana")
        try await store.insertToken(revoked)
        _ = try await store.revokeToken(id: revoked.id, at: Fixtures.later(500))
        let event = AccessEventRecord(
            connectionId: pat.id, connectionName: "prod", eventId: "a1", type: .granted, user: "ana@example.com", role: "Creator", actor: "token:idp",
            receivedAt: Fixtures.now)
        guard case .claimed(var pending) = try await store.claimAccessEvent(event, holder: "h1", claimUntil: Fixtures.later(300_000), now: Fixtures.now)
        else { throw StoreError("the access event was not claimed") }
        pending.status = .applied
        pending.previousRole = "Viewer"
        pending.newRole = "Creator"
        pending.completedAt = Fixtures.later(20)
        #expect(try await store.completeAccessEvent(pending, holder: "h1"))
        var second = event
        second.eventId = "a2"
        _ = try await store.claimAccessEvent(second, holder: "h1", claimUntil: Fixtures.later(300_000), now: Fixtures.later(30))
    }
}
