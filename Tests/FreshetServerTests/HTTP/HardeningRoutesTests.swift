import Foundation
import Freshet
import FreshetSQLite
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Issue 19's observed defects on the HTTP API: storage failures, validation of connections,
/// status classes derived from typed codes.
@Suite struct HardeningRoutesTests {
    /// Makes every write fail the way a full disk does (temporary triggers on the writer connection).
    static func failWrites(_ database: SQLiteDatabase) async throws {
        for (name, event) in [("audit_log", "INSERT"), ("connections", "INSERT"), ("api_tokens", "INSERT"), ("grdb_migrations", "UPDATE")] {
            try await database.execute(
                "CREATE TEMP TRIGGER full_\(name) BEFORE \(event) ON main.\(name) BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END")
        }
    }

    static func healWrites(_ database: SQLiteDatabase) async throws {
        for name in ["audit_log", "connections", "api_tokens", "grdb_migrations"] { try await database.execute("DROP TRIGGER temp.full_\(name)") }
    }

    @Test func aFullDiskIs503WithoutTheDatabasesWordsAndReadyTurnsFalseUntilWritesWork() async throws {
        try await HTTPFixture.test { fixture, client in
            let token = fixture.adminToken
            #expect(try await client.call(.get, "/ready").status == .ok)
            try await Self.failWrites(try #require(fixture.runtime.sqliteDatabase))
            let body = #"{"name":"prod","serverUrl":"https://tableau.example.com/","patName":"freshet","patSecret":"abcdefgh-secret-9876"}"#
            let created = try await client.call(.post, "/api/v1/connections", token: token, body: body)
            #expect(created.status == .serviceUnavailable && created.isProblem, "\(created.text)")
            #expect(created.object["type"] as? String == "urn:freshet:problem:storage-unavailable")
            #expect(!created.text.lowercased().contains("sqlite") && !created.text.contains("disk is full"))
            let tokenCreated = try await client.call(.post, "/api/v1/tokens", token: token, body: #"{"name":"ci","scopes":["read"]}"#)
            #expect(tokenCreated.status == .serviceUnavailable, "\(tokenCreated.text)")
            let ready = try await client.call(.get, "/ready")
            #expect(ready.status == .serviceUnavailable && !ready.text.lowercased().contains("sqlite"), "\(ready.text)")
            try await Self.healWrites(try #require(fixture.runtime.sqliteDatabase))
            #expect(try await client.call(.get, "/ready").status == .ok)
            #expect(try await client.call(.post, "/api/v1/connections", token: token, body: body).status == .created)
        }
    }

    @Test func notFoundAndConflictComeFromCodesNotWords() async throws {
        try await HTTPFixture.test { fixture, client in
            // A store refusal whose words start neither with "No " nor contain "already exists".
            let problem = ProblemMiddlewareProbe.problem(StoreError(.notFound, "Nothing by that name"))
            #expect(problem.statusCode == 404)
            #expect(ProblemMiddlewareProbe.problem(StoreError(.conflict, "Taken")).statusCode == 409)
            let noisy = ProblemMiddlewareProbe.problem(StoreError(.unavailable, "No space left: SQLite error 13 already exists"))
            #expect(noisy.statusCode == 503 && !noisy.detail.contains("SQLite"))
            #expect(ProblemMiddlewareProbe.problem(CancellationError()).type == "urn:freshet:problem:cancelled")
            _ = fixture
            _ = client
        }
    }

    @Test func connectionsThatCannotWorkAreRefusedWhenSavedNamingTheField() async throws {
        try await HTTPFixture.test { fixture, client in
            let token = fixture.adminToken
            let cases: [(String, String)] = [
                (#"{"name":"a","serverUrl":"https://999.1.1.1","patName":"n","patSecret":"s"}"#, "serverUrl"),
                (#"{"name":"a","serverUrl":"https://tab leau","patName":"n","patSecret":"s"}"#, "serverUrl"),
                (#"{"name":"a","serverUrl":"https://t.example.com","apiVersion":"3.x","patName":"n","patSecret":"s"}"#, "apiVersion"),
                (
                    #"{"name":"a","serverUrl":"https://t.example.com","connectedApp":{"clientId":"c","secretId":"s","secretValue":"short","username":"u"}}"#,
                    "connectedApp.secretValue"
                ),
            ]
            for (body, field) in cases {
                let response = try await client.call(.post, "/api/v1/connections", token: token, body: body)
                #expect(response.status == .unprocessableContent && response.object["field"] as? String == field, "\(body) → \(response.text)")
            }
            #expect(try await fixture.runtime.store.connections().isEmpty)
            _ = try await fixture.addConnection("prod")
            let edit = try await client.call(.patch, "/api/v1/connections/prod", token: token, body: #"{"serverUrl":"https://-x.example.com"}"#)
            #expect(edit.status == .unprocessableContent && edit.object["field"] as? String == "serverUrl", "\(edit.text)")
        }
    }
}

/// The problem a bare error becomes (no request needed).
enum ProblemMiddlewareProbe {
    static func problem(_ error: any Error) -> ProblemDocument {
        ProblemMiddleware.problem(for: error, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}
