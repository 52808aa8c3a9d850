import Foundation
import TableauEmulator
import Testing

/// Seed files: the demo seed, and bad seeds that name the file, the place and the problem and start nothing.
@Suite struct SeedTests {
    @Test func theDemoSeedFileEqualsTheBuiltInDemoSeedByteForByte() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds/demo.json")
        let onDisk = try Data(contentsOf: file)
        #expect(onDisk == Data(DemoSeed.json.utf8))
    }

    @Test func theDemoSeedLoadsFromItsFile() async throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds/demo.json").path
        let seed = try SeedLoader.load(file: file)
        #expect(seed.sites.map(\.name) == ["Default", "Analytics"])
        #expect(seed.personalAccessTokens?.map(\.name) == ["freshet-admin", "freshet-analyst"])
        _ = try TableauEmulator(seedFile: file)
    }

    /// (name, seed JSON, expected place, words the problem contains).
    static let badSeeds: [(String, String, String, String)] = [
        ("bad JSON", #"{"sites": [ {"name": "Default",, } ]}"#, "", "not valid JSON"),
        ("unknown top-level key", #"{"sites": [{"name": "Default"}], "colour": "red"}"#, "top level", #"unknown key "colour""#),
        ("unknown nested key", #"{"sites": [{"name": "Default", "users": [{"name": "a", "role": "Viewer"}]}]}"#, "sites[0].users[0]", #"unknown key "role""#),
        ("misspelt refresh key", #"{"sites": [{"name": "D", "users": [{"name": "a"}], "datasources": [{"name": "S", "refresh": {"duration": 3}}]}]}"#, "sites[0].datasources[0].refresh", #"unknown key "duration""#),
        ("wrong type", #"{"sites": [{"name": "Default", "maxConcurrentJobs": "two"}]}"#, "sites[0].maxConcurrentJobs", "expected a whole number"),
        ("wrong type in a list", #"{"sites": [{"name": "D", "users": [{"name": 42}]}]}"#, "sites[0].users[0].name", "expected a string"),
        ("missing required key", #"{"sites": [{"contentUrl": "x"}]}"#, "sites[0]", #"missing required key "name""#),
        ("no sites", #"{"sites": []}"#, "sites", "at least one site"),
        ("unknown project", #"{"sites": [{"name": "D", "users": [{"name": "a"}], "workbooks": [{"name": "W", "project": "Nope"}]}]}"#, "sites[0].workbooks[0].project", #"no project named "Nope""#),
        ("unknown PAT user", #"{"personalAccessTokens": [{"name": "p", "secret": "s", "user": "ghost"}], "sites": [{"name": "D", "users": [{"name": "a"}]}]}"#, "personalAccessTokens[0].user", #"no site has a user named "ghost""#),
        ("unknown owner", #"{"sites": [{"name": "D", "users": [{"name": "a"}], "datasources": [{"name": "S", "owner": "b"}]}]}"#, "sites[0].datasources[0].owner", #"no user named "b""#),
        ("bad site role", #"{"sites": [{"name": "D", "users": [{"name": "a", "siteRole": "Boss"}]}]}"#, "sites[0].users[0].siteRole", "not a Tableau site role"),
        ("unknown data source of a workbook", #"{"sites": [{"name": "D", "users": [{"name": "a"}], "workbooks": [{"name": "W", "datasources": ["Nope"]}]}]}"#, "sites[0].workbooks[0].datasources[0]", "no data source named"),
        ("bad outcome", #"{"sites": [{"name": "D", "users": [{"name": "a"}], "datasources": [{"name": "S", "refresh": {"outcome": "explode"}}]}]}"#, "sites[0].datasources[0].refresh.outcome", "explode"),
        ("bad date", #"{"sites": [{"name": "D", "users": [{"name": "a", "lastLogin": "yesterday"}]}]}"#, "sites[0].users[0].lastLogin", "is not a time"),
        ("duplicate content URL", #"{"sites": [{"name": "A", "contentUrl": "x"}, {"name": "B", "contentUrl": "X"}]}"#, "sites[1].contentUrl", "already uses"),
        ("bad task", #"{"sites": [{"name": "D", "users": [{"name": "a"}], "extractRefreshTasks": [{"datasource": "Nope"}]}]}"#, "sites[0].extractRefreshTasks[0]", "no data source named"),
        ("bad faults", #"{"sites": [{"name": "D"}], "faults": {"errorRate": 2}}"#, "faults", "errorRate must be between 0 and 1"),
        ("generated name clashes with a seeded one", #"{"sites": [{"name": "D", "users": [{"name": "a"}], "workbooks": [{"name": "Workbook 00002"}], "generate": {"workbooks": 3}}]}"#, "sites[0].generate", #"generated workbook "Workbook 00002""#),
        ("bad version", #"{"server": {"maxApiVersion": "three"}, "sites": [{"name": "D"}]}"#, "server.maxApiVersion", "is not a REST API version"),
        ("bad mode", #"{"server": {"mode": "onprem"}, "sites": [{"name": "D"}]}"#, "server.mode", "must be"),
    ]

    /// Decodes and builds a seed as `freshet emulator --seed FILE` does.
    func load(_ text: String, file: String) throws(SeedError) -> TableauEmulator {
        try TableauEmulator(seed: SeedLoader.decode(Data(text.utf8), file: file), seedFile: file)
    }

    @Test(arguments: 0..<badSeeds.count)
    func aBadSeedNamesTheFileThePlaceAndTheProblem(index: Int) throws {
        let (name, text, place, problem) = Self.badSeeds[index]
        let error = try #require(throws: SeedError.self, "\(name)") { try load(text, file: "bad.json") }
        #expect(error.file == "bad.json", "\(name)")
        #expect(error.place == place, "\(name): \(error)")
        #expect(error.problem.contains(problem), "\(name): \(error)")
        #expect(error.description.hasPrefix("bad.json: "), "\(name)")
        if !place.isEmpty { #expect(error.description.contains("at \(place): "), "\(name)") }
    }

    @Test func aBadSeedFileIsNamedByItsPathAndNothingStarts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.json").path
        try Data(#"{"sites": [{"name": "D", "users": [{"name": "a"}], "workbooks": [{"name": "W", "project": "Nope"}]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SeedError.self) { try TableauEmulator(seedFile: path) }
        #expect(error.file == path)
        #expect(error.description == "\(path): at sites[0].workbooks[0].project: no project named \"Nope\" (projects: Default)")

        let missing = directory.appendingPathComponent("absent.json").path
        let unreadable = try #require(throws: SeedError.self) { try TableauEmulator(seedFile: missing) }
        #expect(unreadable.file == missing)
        #expect(unreadable.problem.contains("cannot read the file"))
    }

    @Test func withEmulatorThrowsTheSeedErrorAndNeverRunsTheBody() async throws {
        let seed = Seed(
            personalAccessTokens: [Seed.PATSeed(name: "p", secret: "s", user: "ghost")],
            sites: [Seed.SiteSeed(name: "Default", users: [Seed.UserSeed(name: "a")])]
        )
        await #expect(throws: SeedError.self) {
            try await withEmulator(seed: seed) { _ in
                Issue.record("the body ran with a bad seed")
            }
        }
    }

    @Test func seededIdsAreKeptAndGeneratedIdsAreStable() async throws {
        let seed = Seed(sites: [
            Seed.SiteSeed(
                id: "11111111-2222-3333-4444-555555555555", name: "Default", contentUrl: "",
                users: [Seed.UserSeed(id: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", name: "admin", siteRole: "SiteAdministratorCreator", password: "pw")],
                workbooks: [Seed.ContentSeed(name: "W")]
            )
        ])
        let first = try await withEmulator(seed: seed) { emulator in
            let tab = try await Tab(emulator).signedIn(body: Demo.passwordBody("admin", "pw"))
            #expect(tab.siteId == "11111111-2222-3333-4444-555555555555")
            #expect(tab.userId == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
            return try await tab.id(of: "workbooks", named: "W")
        }
        let second = try await withEmulator(seed: seed) { emulator in
            try await Tab(emulator).signedIn(body: Demo.passwordBody("admin", "pw")).id(of: "workbooks", named: "W")
        }
        #expect(first == second)
    }

    @Test func generatedContentFillsASite() async throws {
        let seed = Seed(sites: [
            Seed.SiteSeed(
                name: "Default", contentUrl: "", users: [Seed.UserSeed(name: "admin", siteRole: "SiteAdministratorCreator", password: "pw")],
                projects: [Seed.ProjectSeed(name: "Load")], generate: Seed.GenerateSeed(workbooks: 1200, datasources: 7, project: "Load")
            )
        ])
        try await withEmulator(seed: seed) { emulator in
            let tab = try await Tab(emulator).signedIn(body: Demo.passwordBody("admin", "pw"))
            let workbooks = try await tab.get("sites/SITE/workbooks?pageSize=1&pageNumber=1200").json()
            #expect(workbooks["pagination"]["totalAvailable"] == .string("1200"))
            #expect(workbooks["workbooks"]["workbook"][0]["name"] == .string("Workbook 01200"))
            #expect(workbooks["workbooks"]["workbook"][0]["project"]["name"] == .string("Load"))
            let datasources = try await tab.get("sites/SITE/datasources").json()
            #expect(datasources["pagination"]["totalAvailable"] == .string("7"))
        }
    }
}
