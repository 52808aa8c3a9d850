import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct LeaseConcurrencyTests {
    /// 20 tasks, each with its own database connections on one file (as separate processes
    /// would have), race for one lease: exactly one wins.
    @Test func exactlyOneOfTwentyOpenersWinsTheLease() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        try SQLiteDatabase(path: path).close()

        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let database = try SQLiteDatabase(path: path)
                    defer { try? database.close() }
                    return try await SQLiteStore(database: database).acquireLease(
                        "signin:prod", holder: "process-\(index)", until: Fixtures.later(60_000), now: Fixtures.now)
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
    }

    /// Several processes starting on one new file at once all end up on a migrated database.
    @Test func concurrentOpenersOfANewFileAllMigrate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        let migrated = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let database = try SQLiteDatabase(path: path)
                    defer { try? database.close() }
                    return try await database.isMigrated()
                }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(migrated)
    }
}
