import Foundation
import TableauEmulator
import Testing

/// Paging, filters, sort and fields on the classic list endpoints (REST-API.md §5).
@Suite struct ListQueryTests {
    /// A site with 250 generated workbooks created an hour apart from 2024-01-01T10:00:00Z.
    static func bigSeed() -> Seed {
        Seed(
            personalAccessTokens: [Seed.PATSeed(name: "pat", secret: "secret", user: "admin@example.com")],
            sites: [
                Seed.SiteSeed(
                    name: "Default", contentUrl: "",
                    users: [Seed.UserSeed(name: "admin@example.com", siteRole: "SiteAdministratorCreator")],
                    generate: Seed.GenerateSeed(workbooks: 250)
                )
            ]
        )
    }

    func names(_ answer: Answer, _ kind: String) throws -> [String] {
        try answer.json()[kind][String(kind.dropLast())].items.compactMap { $0["name"].stringValue }
    }

    @Test func defaultPageIs100AndPaginationEchoesTheRequest() async throws {
        try await withEmulator(seed: Self.bigSeed()) { emulator in
            let tab = try await Tab(emulator).signedIn(pat: "pat", secret: "secret")
            let first = try await tab.get("sites/SITE/workbooks").json()
            #expect(first["pagination"]["pageNumber"] == .string("1"))
            #expect(first["pagination"]["pageSize"] == .string("100"))
            #expect(first["pagination"]["totalAvailable"] == .string("250"))
            #expect(first["workbooks"]["workbook"].items.count == 100)
            #expect(first["workbooks"]["workbook"][0]["name"] == .string("Workbook 00001"))

            let third = try await tab.get("sites/SITE/workbooks?pageSize=100&pageNumber=3").json()
            #expect(third["pagination"]["pageNumber"] == .string("3"))
            #expect(third["workbooks"]["workbook"].items.count == 50)
            #expect(third["workbooks"]["workbook"][0]["name"] == .string("Workbook 00201"))

            let beyond = try await tab.get("sites/SITE/workbooks?pageSize=100&pageNumber=4").json()
            #expect(beyond["pagination"]["pageNumber"] == .string("4"))
            #expect(beyond["workbooks"].isEmptyObject)
        }
    }

    @Test func pagesCoverEveryItemOnceInXMLToo() async throws {
        try await withEmulator(seed: Self.bigSeed()) { emulator in
            var tab = try await Tab(emulator).signedIn(pat: "pat", secret: "secret")
            tab.wantsJSON = false
            var seen: [String] = []
            for page in 1...6 {
                let root = try XMLNode.parse(try await tab.get("sites/SITE/workbooks?pageSize=45&pageNumber=\(page)").body)
                #expect(root.first("pagination")?["pageNumber"] == "\(page)")
                #expect(root.first("pagination")?["pageSize"] == "45")
                seen += root.all("workbook").compactMap { $0["id"] }
            }
            #expect(seen.count == 250)
            #expect(Set(seen).count == 250)
        }
    }

    @Test func pageSizeUpTo1000IsAccepted() async throws {
        try await withEmulator(seed: Self.bigSeed()) { emulator in
            let tab = try await Tab(emulator).signedIn(pat: "pat", secret: "secret")
            let all = try await tab.get("sites/SITE/workbooks?pageSize=1000").json()
            #expect(all["pagination"]["pageSize"] == .string("1000"))
            #expect(all["workbooks"]["workbook"].items.count == 250)
        }
    }

    @Test(arguments: ["pageSize=1001", "pageSize=0", "pageSize=ten", "pageNumber=0", "pageNumber=-1"])
    func invalidPagingIs400(query: String) async throws {
        try await withEmulator(seed: Self.bigSeed()) { emulator in
            let tab = try await Tab(emulator).signedIn(pat: "pat", secret: "secret")
            let answer = try await tab.get("sites/SITE/workbooks?\(query)")
            #expect(answer.status == 400)
            #expect(Tab.errorCode(answer) == "400000")
        }
    }

    @Test func dateFiltersWithGtAndLtCombinedByCommas() async throws {
        try await withEmulator(seed: Self.bigSeed()) { emulator in
            let tab = try await Tab(emulator).signedIn(pat: "pat", secret: "secret")
            let before = try await tab.get("sites/SITE/workbooks?filter=createdAt:lt:2024-01-01T15:00:00Z").json()
            #expect(before["pagination"]["totalAvailable"] == .string("5"))
            let after = try await tab.get("sites/SITE/workbooks?filter=createdAt:gt:2024-01-11T09:00:00Z").json()
            #expect(after["pagination"]["totalAvailable"] == .string("10"))
            let between = try await tab.get(
                "sites/SITE/workbooks?filter=createdAt:gt:2024-01-01T12:00:00Z,createdAt:lt:2024-01-01T15:00:00Z"
            )
            #expect(try names(between, "workbooks") == ["Workbook 00004", "Workbook 00005"])
            let gte = try await tab.get("sites/SITE/workbooks?filter=createdAt:gte:2024-01-01T12:00:00Z,createdAt:lte:2024-01-01T15:00:00Z")
            #expect(try names(gte, "workbooks") == ["Workbook 00003", "Workbook 00004", "Workbook 00005", "Workbook 00006"])
        }
    }

    @Test func equalityWithPlusOrPercentEncodedSpaces() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            for query in ["name:eq:Customers+Live", "name:eq:Customers%20Live", "name%3Aeq%3ACustomers+Live"] {
                let answer = try await tab.get("sites/SITE/datasources?filter=\(query)")
                #expect(try names(answer, "datasources") == ["Customers Live"], "\(query)")
            }
            let none = try await tab.get("sites/SITE/datasources?filter=name:eq:customers+live")
            #expect(try none.json()["datasources"].isEmptyObject)
            let cieq = try await tab.get("sites/SITE/datasources?filter=name:cieq:customers+live")
            #expect(try names(cieq, "datasources") == ["Customers Live"])
        }
    }

    @Test func inHasAndCombinedFilters() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let list = try await tab.get("sites/SITE/datasources?filter=name:in:[Sales,Orders,Nope]")
            #expect(try names(list, "datasources").sorted() == ["Orders", "Sales"])
            let tagged = try await tab.get("sites/SITE/datasources?filter=tags:has:certified")
            #expect(try names(tagged, "datasources") == ["Sales"])
            let combined = try await tab.get("sites/SITE/datasources?filter=projectName:eq:Marketing,hasExtracts:eq:false")
            #expect(try names(combined, "datasources") == ["Customers Live"])
            let project = try await tab.get("sites/SITE/workbooks?filter=projectName:eq:Finance")
            #expect(try names(project, "workbooks") == ["Finance Overview"])
            let projects = try await tab.get("sites/SITE/projects?filter=name:eq:Finance").json()
            #expect(projects["projects"]["project"].items.count == 1)
            let viewers = try await tab.get("sites/SITE/users?filter=siteRole:eq:Viewer").json()
            #expect(viewers["users"]["user"].items.map { $0["name"] } == [.string("viewer@example.com")])
            let roles = try await tab.get("sites/SITE/users?filter=siteRole:in:[Creator,Viewer]").json()
            #expect(roles["pagination"]["totalAvailable"] == .string("2"))
        }
    }

    @Test(arguments: ["colour:eq:red", "name:like:Sales", "name-eq-Sales", "name:in:Sales"])
    func badFiltersAre400(filter: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let answer = try await tab.get("sites/SITE/datasources?filter=\(filter)")
            #expect(answer.status == 400)
            #expect(Tab.errorCode(answer) == "400000")
        }
    }

    @Test func sortByOneOrSeveralFields() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let descending = try await tab.get("sites/SITE/datasources?sort=name:desc")
            #expect(try names(descending, "datasources") == ["Web Traffic", "Sales", "Orders", "Inventory", "Customers Live"])
            let ascending = try await tab.get("sites/SITE/datasources?sort=name:asc")
            #expect(try names(ascending, "datasources") == ["Customers Live", "Inventory", "Orders", "Sales", "Web Traffic"])
            let two = try await tab.get("sites/SITE/datasources?sort=projectName:asc,name:desc")
            #expect(try names(two, "datasources") == ["Sales", "Inventory", "Orders", "Web Traffic", "Customers Live"])
            let bad = try await tab.get("sites/SITE/datasources?sort=name:sideways")
            #expect(bad.status == 400)
        }
    }

    @Test func fieldsSelectsAttributesAndKeepsTheId() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let answer = try await tab.get("sites/SITE/workbooks?fields=name,createdAt").json()
            for workbook in answer["workbooks"]["workbook"].items {
                #expect(workbook.keys == ["id", "name", "createdAt"])
            }
            let all = try await tab.get("sites/SITE/workbooks?fields=_all_").json()
            #expect(all["workbooks"]["workbook"][0].keys.isSuperset(of: ["id", "name", "project", "owner", "webpageUrl"]))
        }
    }

    @Test func getByIdAndNotFoundCodes() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let id = try await tab.id(of: "workbooks", named: "Executive Dashboard")
            let workbook = try await tab.get("sites/SITE/workbooks/\(id)").json()["workbook"]
            #expect(workbook["name"] == .string("Executive Dashboard"))
            #expect(workbook["views"]["view"].items.compactMap { $0["name"].stringValue } == ["Overview", "Regions"])
            let missingWorkbook = try await tab.get("sites/SITE/workbooks/00000000-0000-0000-0000-000000000000")
            #expect(missingWorkbook.status == 404)
            #expect(Tab.errorCode(missingWorkbook) == "404006")
            let missingDatasource = try await tab.get("sites/SITE/datasources/00000000-0000-0000-0000-000000000000")
            #expect(missingDatasource.status == 404)
            #expect(Tab.errorCode(missingDatasource) == "404011")
        }
    }
}
