import Foundation
import Testing
import TableauClient
import TableauEmulator

/// Every endpoint against the live emulator over real sockets (AsyncHTTPClient, port 0).
@Suite struct ContractTests {
    @Test func serverInfoAndVersionNegotiation() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed(), configuration: EmulatorConfiguration(maxApiVersion: "3.19")) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let info = try await client.serverInfo()
            #expect(info.restApiVersion == "3.19" && !info.build.isEmpty)
            #expect(try await client.apiVersion() == "3.19")
            _ = try await client.session()
            let paths = emulator.state.recordedRequests().map(\.path)
            #expect(paths.contains("/api/3.19/auth/signin"))
            #expect(!paths.contains { $0.hasPrefix("/api/3.24/") && !$0.hasSuffix("serverinfo") })
        }
    }

    @Test func sessionSitesProjectsAndSignOut() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let current = try await client.currentSession()
            #expect(current.userName == "admin@example.com" && current.siteContentUrl == "")
            #expect(try await client.currentSite().contentUrl == "")
            let projects = try await client.projects().collect().map(\.name)
            #expect(projects == ["Default", "Finance", "Marketing"])
            let sites = try await client.sites().collect().map(\.contentUrl)
            #expect(sites.contains("analytics"))
            let token = try await client.session().token
            try await client.signOut()
            let revoked = try await rawStatus(emulator, path: "/api/3.24/sessions/current", token: token)
            #expect(revoked == 401)
        }
    }

    @Test func workbooksAndDataSourcesPageFilterSortAndGet() async throws {
        var seed = try TestConfiguration.demoSeed()
        seed.sites[0].generate = Seed.GenerateSeed(workbooks: 250, project: "Default")
        try await withEmulator(seed: seed) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let all = try await client.workbooks(ListOptions(pageSize: 100)).collect()
            #expect(all.count == 253)
            #expect(Set(all.map(\.id)).count == 253)
            let listCalls = emulator.state.recordedRequests().filter { $0.path.hasSuffix("/workbooks") }.count
            #expect(listCalls == 3)
            let named = try await client.items(.datasource, named: "Web Traffic")
            #expect(named.map(\.name) == ["Web Traffic"] && named[0].hasExtracts)
            let inProject = try await client.items(.datasource, named: "Orders", inProject: "Finance")
            #expect(inProject.count == 1)
            var sorted = ListOptions()
            sorted.sort("name", ascending: false)
            sorted.filter(.projectName, .eq, "Marketing")
            let marketing = try await client.dataSources(sorted).collect().map(\.name)
            #expect(marketing == ["Web Traffic", "Customers Live"])
            var several = ListOptions()
            several.filter("name", in: ["Web Traffic", "Customers Live"])
            #expect(Set(try await client.dataSources(several).collect().map(\.name)) == ["Web Traffic", "Customers Live"])
            let one = try await client.item(.datasource, id: named[0].id)
            #expect(one.name == "Web Traffic" && one.createdAt != nil)
        }
    }

    @Test func refreshJobsCancelAndTasks() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed(), configuration: EmulatorConfiguration(clock: .manual())) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let sales = try #require(try await client.items(.datasource, named: "Sales").first)
            let job = try await client.refresh(.datasource, id: sales.id, incremental: true)
            #expect(job.targetId == sales.id)
            let duplicate = try await #require(throws: TableauError.self) { try await client.refresh(.datasource, id: sales.id) }
            #expect(duplicate.isDuplicateRefresh)
            emulator.state.clock.advance(by: 4)
            #expect(try await client.job(job.id).outcome == .succeeded)
            var options = ListOptions()
            options.filter(.jobType, .eq, "increment_extracts")
            #expect(try await client.jobsPage(options).items.map(\.id) == [job.id])

            let inventory = try #require(try await client.items(.datasource, named: "Inventory").first)
            let hanging = try await client.refresh(.datasource, id: inventory.id)
            try await client.cancelJob(hanging.id)
            #expect(try await client.job(hanging.id).outcome == .cancelled)

            let live = try #require(try await client.items(.datasource, named: "Customers Live").first)
            let refused = try await #require(throws: TableauError.self) { try await client.refresh(.datasource, id: live.id) }
            #expect(refused.isNotRefreshable)

            let tasks = try await client.refreshTasks()
            #expect(tasks.count == 2)
            let workbookTask = try #require(tasks.first { $0.target == .workbook })
            let run = try await client.runTask(workbookTask.id)
            #expect(run.targetType == .workbook)
        }
    }

    @Test func usersQueryUpdateAddRemove() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let users = try await client.users(ListOptions(pageSize: 2)).collect()
            #expect(users.count == 4)
            let viewer = try #require(try await client.user(named: "viewer@example.com"))
            #expect(viewer.siteRole == "Viewer")
            #expect(try await client.user(named: "nobody@example.com") == nil)
            let updated = try await client.updateSiteRole(userId: viewer.id, to: "Explorer")
            #expect(updated.siteRole == "Explorer")
            #expect(try await client.user(id: viewer.id).siteRole == "Explorer")
            let invalid = try await #require(throws: TableauError.self) { try await client.updateSiteRole(userId: viewer.id, to: "Wizard") }
            #expect(invalid.code == "400013")
            let added = try await client.addUser(name: "temp@example.com", siteRole: "Viewer")
            try await client.removeUser(id: added.id)
            #expect(try await client.user(named: "temp@example.com") == nil)
        }
    }

    @Test func versionlessSearchUsageAndCollections() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let results = try await client.search("sales", types: ["datasource"])
            #expect(results.hits.map(\.title) == ["Sales"])
            let sales = try #require(results.hits.first)
            #expect(try await client.usageStats(.datasource, id: sales.luid).hitsTotal == 120)
            let collections = try await client.collections()
            #expect(collections.items.map(\.name) == ["Quarterly Review"])
            #expect(collections.pagination.totalAvailable == 1)
        }
    }

    @Test func lineageFindsWhatReadsATable() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let lineage = try await client.downstreamOfTable(database: "warehouse", schema: "public", table: "orders")
            #expect(Set(lineage.dataSources.map(\.name)) == ["Sales", "Orders"])
            #expect(lineage.workbooks.map(\.name).contains("Executive Dashboard"))
        }
    }

    @Test func webhooksCreateListDelete() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let hook = try await client.createWebhook(name: "fail-alert", event: "DatasourceRefreshFailed", url: "http://127.0.0.1:9/hook")
            #expect(try await client.webhooks().map(\.id) == [hook.id])
            try await client.deleteWebhook(id: hook.id)
            #expect(try await client.webhooks().isEmpty)
        }
    }

    @Test func rawCallsReachVersionedAndVersionlessPaths() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let versioned = try await client.raw(method: "GET", path: "sites/{site}/projects", query: [("pageSize", "1")])
            #expect(versioned.status == 200 && versioned.json?.at("pagination.totalAvailable")?.int == 3)
            let versionless = try await client.raw(method: "GET", path: "/api/-/search", query: [("terms", "dashboard")])
            #expect(versionless.json?.at("hits.total")?.int == 1)
            let missing = try await #require(throws: TableauError.self) { try await client.raw(method: "GET", path: "sites/{site}/workbooks/nope") }
            #expect(missing.status == 404)
        }
    }

    @Test func connectedAppSignsInWithAFreshJWTEachTime() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let app = Credentials.ConnectedApp(
                clientId: "demo-connected-app", secretId: "demo-secret-id", secretValue: "demo-connected-app-secret-value-0123456789",
                username: "admin@example.com"
            )
            let first = TableauClient(configuration: try TestConfiguration.make(emulator, credentials: .connectedApp(app)))
            let second = TableauClient(configuration: try TestConfiguration.make(emulator, credentials: .connectedApp(app)))
            _ = try await first.session()
            _ = try await second.session()
            // Connected apps allow parallel sessions: both stay valid.
            #expect(try await first.currentSession().userName == "admin@example.com")
            #expect(try await second.currentSession().userName == "admin@example.com")
            var wrong = app
            wrong.secretValue = "not-the-secret-but-long-enough-for-hs256"
            let refused = TableauClient(configuration: try TestConfiguration.make(emulator, credentials: .connectedApp(wrong)))
            let error = try await #require(throws: TableauError.self) { try await refused.session() }
            #expect(error.duringSignIn && error.status == 401)
        }
    }
}

/// The status of a GET with a given token, bypassing the client.
func rawStatus(_ emulator: RunningEmulator, path: String, token: String) async throws -> Int {
    let transport = AsyncHTTPClientTransport()
    let response = try await transport.send(
        TransportRequest(method: "GET", url: emulator.baseURL + path, headers: [("X-Tableau-Auth", token)]), timeout: .seconds(10)
    )
    return response.status
}
