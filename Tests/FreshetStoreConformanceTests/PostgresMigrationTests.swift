import Foundation
import Freshet
import FreshetPostgres
import Testing

/// PostgreSQL's own rules: migrations under an advisory lock, refusal of a newer schema.
@Suite struct PostgresMigrationTests {
    @Test func processesStartingAtOnceMigrateOnce() async throws {
        let databases = try await PostgresTestServer.databases(6, migrated: false)
        defer { PostgresTestServer.drop(databases) }
        #expect(try await databases[0].schemaVersion() == nil)
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for database in databases { group.addTask { try await database.migrate() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(applied.filter { !$0.isEmpty } == [PostgresDatabase.knownMigrations])
        for database in databases { #expect(try await database.isMigrated()) }
        let rows = try await databases[0].rawRows("SELECT version, name FROM freshet_schema_version ORDER BY version")
        #expect(rows.count == PostgresDatabase.latestSchemaVersion)
    }

    @Test func aDatabaseFromANewerFreshetIsRefusedUnchanged() async throws {
        let databases = try await PostgresTestServer.databases(1)
        defer { PostgresTestServer.drop(databases) }
        let newer = PostgresDatabase.latestSchemaVersion + 1
        _ = try await databases[0].rawRows("INSERT INTO freshet_schema_version (version, name) VALUES (\(newer), 'v\(newer)_future')")
        await #expect(throws: PostgresSchemaError.self) { try await databases[0].migrate() }
        #expect(try await databases[0].schemaVersion() == newer)
        #expect(try await !databases[0].isMigrated())
    }

    @Test func theURLNeverShowsItsPassword() throws {
        let url = try PostgresURL(parsing: "postgres://freshet:s3cr%40t@db.example.com:6432/prod?sslmode=require", environment: [:])
        #expect(url.password == "s3cr@t" && url.port == 6432 && url.database == "prod" && url.tlsMode == .require)
        #expect(url.description == "postgres://freshet@db.example.com:6432/prod?sslmode=require")
        #expect(!"\(url)".contains("s3cr"))
        let fromEnvironment = try PostgresURL(parsing: "postgresql://freshet@db/prod", environment: ["PGPASSWORD": "from-env"])
        #expect(fromEnvironment.password == "from-env" && fromEnvironment.port == 5432 && fromEnvironment.tlsMode == .prefer)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-pw-\(UUID().uuidString)")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try PostgresURL(parsing: "postgres://freshet@db/prod", environment: ["FRESHET_DATABASE_PASSWORD_FILE": file.path])
        #expect(fromFile.password == "from-file")
        for bad in ["mysql://u@h/db", "postgres://h/db", "postgres://u@h", "postgres://u@h/db?sslmode=maybe", "postgres://u@h/db?color=red"] {
            #expect(throws: PostgresURLError.self, "\(bad)") { try PostgresURL(parsing: bad, environment: [:]) }
        }
        let verified = try PostgresURL(parsing: "postgres://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", environment: [:])
        #expect(throws: PostgresURLError.self) { try PostgresDatabase(url: verified) }
    }

    @Test func anUnreachableServerIsAStoreErrorWithoutThePassword() async throws {
        let url = try PostgresURL(parsing: "postgres://freshet:hunter2@127.0.0.1:1/nothing?sslmode=disable", environment: [:])
        let database = try PostgresDatabase(url: url)
        let runner = Task { try? await database.run() }
        defer { runner.cancel() }
        let error = await #expect(throws: StoreError.self) { try await PostgresStore(database: database).run(id: "r1") }
        #expect(error?.description.contains("hunter2") == false)
    }
}
