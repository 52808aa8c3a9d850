package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore {
    /// The hold on `connectionId`'s site that lasts past `now`, or nil.
    package func siteHold(connectionId: String, now: Date) async throws -> SiteHold? {
        guard
            let row = try await rows(
                "SELECT until, reason FROM site_holds WHERE connection_id = \(connectionId) AND until > \(now.pg)"
            ).first
        else { return nil }
        return SiteHold(connectionId: connectionId, until: try row.date("until"), reason: try row.text("reason"))
    }

    /// Stores `hold` unless a longer hold of the same site is stored already (one statement).
    package func holdSite(_ hold: SiteHold) async throws {
        _ = try await rows(
            """
            INSERT INTO site_holds (connection_id, until, reason) VALUES (\(hold.connectionId), \(hold.until.pg), \(hold.reason))
            ON CONFLICT (connection_id) DO UPDATE SET until = excluded.until, reason = excluded.reason
            WHERE excluded.until > site_holds.until
            """)
    }
}
