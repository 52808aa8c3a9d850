import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct EncryptionAtRestTests {
    @Test func noSecretAppearsInTheDatabaseFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        let keyring = Keyring(current: MasterKey.generate())
        let sealedSecret = try keyring.seal("super-secret-pat-value")
        let connection = try Fixtures.patConnection()

        let database = try SQLiteDatabase(path: path)
        let store = SQLiteStore(database: database)
        try await store.insert(StoredConnection(connection: connection, sealedSecret: sealedSecret))
        try await store.save(Fixtures.session(connectionId: connection.id, sealedToken: try keyring.seal("plain-session-token-value")))
        try await store.append(AuditEvent(time: Fixtures.now, actor: "cli:ann", action: "connection.created", target: "prod", outcome: "success"))
        try await database.checkpoint()
        try database.close()

        var files = [path]
        for suffix in ["-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            files.append(path + suffix)
        }
        var everything = Data()
        for file in files { everything.append(try Data(contentsOf: URL(fileURLWithPath: file))) }
        #expect(everything.range(of: Data("super-secret-pat-value".utf8)) == nil)
        #expect(everything.range(of: Data("plain-session-token-value".utf8)) == nil)
        // The scan did read the stored rows: the sealed form and the PAT name are there.
        #expect(everything.range(of: Data(sealedSecret.utf8)) != nil)
        #expect(everything.range(of: Data("freshet-pat".utf8)) != nil)

        let reopened = SQLiteStore(database: try SQLiteDatabase(path: path))
        let stored = try #require(try await reopened.connection(named: "prod"))
        #expect(try keyring.open(stored.sealedSecret) == "super-secret-pat-value")
        try reopened.database.close()
    }
}
