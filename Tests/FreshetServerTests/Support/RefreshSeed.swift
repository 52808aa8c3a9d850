import Foundation
import Freshet
import FreshetServer
import TableauEmulator

/// An emulator seed with fast refresh jobs for run tests, and an engine tuned for tests.
enum RefreshSeed {
    static let json = #"""
        {
          "server": { "maxApiVersion": "3.24", "mode": "server" },
          "personalAccessTokens": [
            { "name": "freshet-admin", "secret": "demo-admin-pat-secret", "user": "admin@example.com" }
          ],
          "sites": [{
            "name": "Default", "contentUrl": "",
            "users": [ { "name": "admin@example.com", "siteRole": "SiteAdministratorCreator" } ],
            "projects": [ { "name": "Default" }, { "name": "Finance" }, { "name": "Marketing" }, { "name": "Empty" } ],
            "tables": [
              { "database": "warehouse", "schema": "public", "name": "orders" },
              { "database": "warehouse", "schema": "public", "name": "unused" }
            ],
            "datasources": [
              { "name": "Quick", "project": "Default", "upstreamTables": ["warehouse.public.orders"], "refresh": { "durationSeconds": 0.3 } },
              { "name": "Broken", "project": "Finance", "refresh": { "durationSeconds": 0.2, "outcome": "failure",
                "notes": "com.tableausoftware.nativeapi.dll.DataSourceException: Login failed for user 'etl'." } },
              { "name": "Stuck", "project": "Default", "refresh": { "outcome": "hang" } },
              { "name": "Live", "project": "Marketing", "hasExtracts": false, "upstreamTables": ["warehouse.public.orders"] },
              { "name": "Twin", "project": "Finance", "refresh": { "durationSeconds": 0.2 } },
              { "name": "Twin", "project": "Marketing", "refresh": { "durationSeconds": 0.2 } },
              { "name": "Slow", "project": "Default", "refresh": { "durationSeconds": 1.5 } },
              { "name": "Long", "project": "Default", "refresh": { "durationSeconds": 5 } }
            ],
            "workbooks": [
              { "name": "Board", "project": "Finance", "upstreamTables": ["warehouse.public.orders"], "refresh": { "durationSeconds": 0.3 } },
              { "name": "Live Board", "project": "Marketing", "hasExtracts": false, "datasources": ["Live"] }
            ]
          }]
        }
        """#

    static func seed() throws -> Seed {
        try SeedLoader.decode(Data(json.utf8))
    }

    /// Engine settings that make tests quick: short leases, fast watching, fast trigger retries.
    static let configuration = RefreshEngineConfiguration(
        leaseDuration: .seconds(2), watchInterval: .milliseconds(50),
        backoff: TriggerBackoff(maxRetries: 10, initial: 0.05, multiplier: 2, maximum: 0.5), jitter: 0)
}

extension RunningEmulator {
    /// `POST …/refresh` calls the emulator answered with `status` (any when nil).
    func refreshCalls(status: Int? = nil) -> Int {
        state.recordedRequests().filter { $0.method == "POST" && $0.path.hasSuffix("/refresh") && (status == nil || status == $0.status) }.count
    }
}
