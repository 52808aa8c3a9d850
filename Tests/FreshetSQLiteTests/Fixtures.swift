import Foundation
import Freshet
import FreshetSQLite

/// A directory of its own for one test, removed by ``remove()``.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-sqlite-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A database path inside, one directory down (so opening must create it).
    var databasePath: String { url.appendingPathComponent("data/freshet.sqlite").path }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

enum Fixtures {
    /// Milliseconds of ``now`` since 1970.
    static let nowMilliseconds: Int64 = 1_750_000_000_123

    /// A fixed instant with whole milliseconds (what the store keeps).
    static let now = at(nowMilliseconds)

    /// The instant `milliseconds` after ``now``, built as the store builds the dates it reads.
    static func later(_ milliseconds: Int64) -> Date { at(nowMilliseconds + milliseconds) }

    static func at(_ milliseconds: Int64) -> Date { SQLiteTimestamp.date(milliseconds: milliseconds) }

    static func patConnection(name: String = "prod", site: String = "finance", patName: String = "freshet-pat") throws -> Connection {
        Connection(
            name: name, server: try ServerURL(parsing: "https://tableau.example.com/"), siteContentUrl: site,
            auth: .personalAccessToken(name: patName), apiVersionPin: nil, createdAt: now, updatedAt: now)
    }

    static func appConnection(name: String = "cloud") throws -> Connection {
        Connection(
            name: name, server: try ServerURL(parsing: "http://localhost:8080"), siteContentUrl: "",
            auth: .connectedApp(clientId: "client-1", secretId: "secret-1", username: "svc@example.com", scopes: ["tableau:content:read"]),
            apiVersionPin: "3.19", createdAt: now, updatedAt: later(1500))
    }

    static func session(connectionId: String, sealedToken: String, expiresIn milliseconds: Int64 = 3_600_000) -> StoredSession {
        StoredSession(
            connectionId: connectionId, sealedToken: sealedToken, siteId: "site-luid", siteContentUrl: "finance", userId: "user-luid",
            apiVersion: "3.24", signedInAt: now, expiresAt: later(milliseconds))
    }
}
