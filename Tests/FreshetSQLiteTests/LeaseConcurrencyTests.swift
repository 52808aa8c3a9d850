import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct LeaseConcurrencyTests {
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
