package import Foundation
package import Freshet
import GRDB

extension SQLiteStore {
    /// The hold on `connectionId`'s site that lasts past `now`, or nil.
    package func siteHold(connectionId: String, now: Date) async throws -> SiteHold? {
        try await writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT until, reason FROM site_holds WHERE connection_id = ? AND until > ?"),
                    arguments: [connectionId, SQLiteTimestamp.text(now)]),
                let until = SQLiteTimestamp.date(row["until"])
            else { return nil }
            return SiteHold(connectionId: connectionId, until: until, reason: row["reason"])
        }
    }

    /// Stores `hold` unless a longer hold of the same site is stored already (one statement).
    package func holdSite(_ hold: SiteHold) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO site_holds (connection_id, until, reason) VALUES (?, ?, ?)
                    ON CONFLICT (connection_id) DO UPDATE SET until = excluded.until, reason = excluded.reason
                    WHERE excluded.until > site_holds.until
                    """,
                arguments: [hold.connectionId, SQLiteTimestamp.text(hold.until), hold.reason])
        }
    }
}
