import Foundation

/// The demo seed shipped with Freshet (also in `seeds/demo.json`; a test keeps the two equal).
public enum DemoSeed {
    /// The demo seed's JSON text.
    public static let json = #"""
{
  "$comment": "Freshet demo seed for the Tableau emulator. Format: docs/emulator.md.",
  "server": { "maxApiVersion": "3.24", "mode": "server", "sessionMinutes": 240 },
  "personalAccessTokens": [
    { "name": "freshet-admin", "secret": "demo-admin-pat-secret", "user": "admin@example.com" },
    { "name": "freshet-analyst", "secret": "demo-analyst-pat-secret", "user": "analyst@example.com" }
  ],
  "sites": [
    {
      "name": "Default",
      "contentUrl": "",
      "maxConcurrentJobs": 8,
      "users": [
        { "name": "admin@example.com", "fullName": "Ada Admin", "siteRole": "SiteAdministratorCreator", "password": "demo-password", "lastLogin": "2026-11-01T09:00:00Z" },
        { "name": "analyst@example.com", "fullName": "Ana Analyst", "siteRole": "Creator", "password": "demo-password", "lastLogin": "2026-11-02T09:00:00Z" },
        { "name": "viewer@example.com", "fullName": "Vic Viewer", "siteRole": "Viewer", "lastLogin": "2026-10-15T09:00:00Z" },
        { "name": "new.hire@example.com", "fullName": "Nia New", "siteRole": "Unlicensed" }
      ],
      "connectedApps": [
        { "clientId": "demo-connected-app", "secretId": "demo-secret-id", "secretValue": "demo-connected-app-secret-value-0123456789" }
      ],
      "projects": [
        { "name": "Default", "description": "The default project that was automatically created by Tableau." },
        { "name": "Finance", "description": "Finance reporting" },
        { "name": "Marketing", "description": "Campaign analytics" }
      ],
      "tables": [
        { "database": "warehouse", "schema": "public", "name": "orders", "connectionType": "postgres" },
        { "database": "warehouse", "schema": "public", "name": "customers", "connectionType": "postgres" },
        { "database": "warehouse", "schema": "finance", "name": "ledger", "connectionType": "postgres" }
      ],
      "datasources": [
        { "name": "Sales", "project": "Default", "upstreamTables": ["warehouse.public.orders", "warehouse.public.customers"], "tags": ["certified"], "certified": true,
          "refresh": { "durationSeconds": 3 }, "usage": { "hitsTotal": 120, "hitsLastTwoWeeksTotal": 14 } },
        { "name": "Orders", "project": "Finance", "upstreamTables": ["warehouse.public.orders"],
          "refresh": { "durationSeconds": 2, "outcome": "failure" } },
        { "name": "Inventory", "project": "Default", "refresh": { "outcome": "hang" } },
        { "name": "Customers Live", "project": "Marketing", "hasExtracts": false, "type": "postgres", "upstreamTables": ["warehouse.public.customers"] },
        { "name": "Web Traffic", "project": "Marketing", "refresh": { "durationSeconds": 5 } }
      ],
      "workbooks": [
        { "name": "Executive Dashboard", "project": "Default", "datasources": ["Sales"], "views": ["Overview", "Regions"],
          "refresh": { "durationSeconds": 3 }, "usage": { "hitsTotal": 310 } },
        { "name": "Finance Overview", "project": "Finance", "upstreamTables": ["warehouse.finance.ledger"], "refresh": { "durationSeconds": 4 } },
        { "name": "Live Ops", "project": "Marketing", "hasExtracts": false, "datasources": ["Customers Live"] }
      ],
      "extractRefreshTasks": [
        { "datasource": "Sales", "schedule": "Nightly", "frequency": "Daily" },
        { "workbook": "Executive Dashboard", "schedule": "Nightly", "frequency": "Daily" }
      ],
      "collections": [
        { "name": "Quarterly Review", "description": "What the board looks at", "items": [{ "workbook": "Executive Dashboard" }, { "datasource": "Sales" }] }
      ]
    },
    {
      "name": "Analytics",
      "contentUrl": "analytics",
      "users": [
        { "name": "admin@example.com", "fullName": "Ada Admin", "siteRole": "SiteAdministratorExplorer" }
      ],
      "datasources": [ { "name": "Events", "refresh": { "durationSeconds": 2 } } ]
    }
  ]
}

"""#

    /// The demo seed, decoded.
    public static func seed() throws(SeedError) -> Seed {
        try SeedLoader.decode(Data(json.utf8), file: "<demo seed>")
    }
}
