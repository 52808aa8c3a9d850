import Foundation
import TableauClient
import TableauEmulator
import Testing

/// Tableau's `filter=` cannot carry `,` or `&`: such names are matched by the client itself.
@Suite struct CommaNameTests {
    static let seed = #"""
        {
          "server": { "maxApiVersion": "3.24", "mode": "server" },
          "personalAccessTokens": [ { "name": "freshet-admin", "secret": "demo-admin-pat-secret", "user": "admin@example.com" } ],
          "sites": [{
            "name": "Default", "contentUrl": "",
            "users": [ { "name": "admin@example.com", "siteRole": "SiteAdministratorCreator" } ],
            "projects": [ { "name": "Default" }, { "name": "R&D, Labs" } ],
            "datasources": [
              { "name": "Sales, EMEA", "project": "Default", "refresh": { "durationSeconds": 1 } },
              { "name": "Sales", "project": "Default", "refresh": { "durationSeconds": 1 } },
              { "name": "Pipeline & Forecast", "project": "R&D, Labs", "refresh": { "durationSeconds": 1 } }
            ]
          }]
        }
        """#

    @Test func namesAndProjectsWithCommasOrAmpersandsResolve() async throws {
        try await withEmulator(seed: try SeedLoader.decode(Data(Self.seed.utf8))) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            #expect(try await client.items(.datasource, named: "Sales, EMEA").map(\.name) == ["Sales, EMEA"])
            #expect(try await client.items(.datasource, named: "Sales").map(\.name) == ["Sales"])
            #expect(try await client.items(.datasource, named: "Pipeline & Forecast", inProject: "R&D, Labs").map(\.name) == ["Pipeline & Forecast"])
            #expect(try await client.items(.datasource, named: "Sales, EMEA", inProject: "R&D, Labs").isEmpty)
        }
    }
}
