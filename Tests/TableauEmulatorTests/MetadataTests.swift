import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TableauEmulator
import Testing

/// The Metadata API (`POST /api/metadata/graphql`) against the demo seed, over real sockets.
@Suite struct MetadataTests {
    // MARK: Helpers (self-contained, so this suite does not depend on other suites' support code)

    struct Reply: Sendable, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "HTTP \(status): \(body.prefix(800))" }

        /// The body as a JSON object.
        func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let parsed = try JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])
            return try #require(parsed as? [String: Any], "not a JSON object: \(body)", sourceLocation: sourceLocation)
        }
    }

    struct Session: Sendable {
        var base: String
        var token: String?
        var siteId: String

        func post(_ path: String, _ body: String, headers: [(String, String)] = []) async throws -> Reply {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Accept", value: "application/json")
            if let token { request.headers.add(name: "X-Tableau-Auth", value: token) }
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 16 << 20)
            return Reply(status: Int(response.status.code), body: String(buffer: buffer))
        }

        func get(_ path: String) async throws -> Reply {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(name: "Accept", value: "application/json")
            if let token { request.headers.add(name: "X-Tableau-Auth", value: token) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 16 << 20)
            return Reply(status: Int(response.status.code), body: String(buffer: buffer))
        }

        /// Runs a GraphQL query; `variables` is a JSON object text.
        func graphql(_ query: String, variables: String = "{}") async throws -> Reply {
            let body = try JSONSerialization.data(withJSONObject: ["query": query], options: [])
            var text = String(decoding: body, as: UTF8.self)
            text.removeLast()
            text += #","variables":\#(variables)}"#
            return try await post("/api/metadata/graphql", text)
        }

        /// REST id of the data source or workbook called `name`.
        func restId(_ kind: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let reply = try await get("/api/3.24/sites/\(siteId)/\(kind)s?filter=name:eq:\(name.replacingOccurrences(of: " ", with: "+"))")
            try #require(reply.status == 200, "\(reply)", sourceLocation: sourceLocation)
            let items = ((try reply.object()["\(kind)s"] as? [String: Any])?[kind] as? [[String: Any]]) ?? []
            return try #require(items.first?["id"] as? String, "no \(kind) \(name): \(reply)", sourceLocation: sourceLocation)
        }
    }

    /// Signs in with the demo seed's admin PAT.
    static func signIn(_ emulator: RunningEmulator) async throws -> Session {
        var session = Session(base: emulator.baseURL, token: nil, siteId: "")
        let reply = try await session.post(
            "/api/3.24/auth/signin",
            #"{"credentials":{"personalAccessTokenName":"freshet-admin","personalAccessTokenSecret":"demo-admin-pat-secret","site":{"contentUrl":""}}}"#
        )
        try #require(reply.status == 200, "sign-in failed: \(reply)")
        let credentials = try #require(try reply.object()["credentials"] as? [String: Any])
        session.token = try #require(credentials["token"] as? String)
        session.siteId = try #require((credentials["site"] as? [String: Any])?["id"] as? String)
        return session
    }

    static func withDemo<T: Sendable>(
        configuration: EmulatorConfiguration = EmulatorConfiguration(), _ body: @Sendable (Session, RunningEmulator) async throws -> T
    ) async throws -> T {
        try await withEmulator(seed: DemoSeed.seed(), configuration: configuration) { emulator in
            try await body(try await signIn(emulator), emulator)
        }
    }

    /// `value` at `path` (keys and array indexes) inside a parsed JSON value.
    static func at(_ value: Any?, _ path: Any...) -> Any? {
        var current = value
        for step in path {
            if let key = step as? String {
                current = (current as? [String: Any])?[key]
            } else if let index = step as? Int {
                guard let array = current as? [Any], index >= 0, index < array.count else { return nil }
                current = array[index]
            }
        }
        return current
    }

    /// The `field` of every object in the array at `value`.
    static func strings(_ value: Any?, _ field: String) -> [String] {
        ((value as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?[field] as? String }
    }

    static func errors(_ object: [String: Any]) -> [[String: Any]] {
        (object["errors"] as? [[String: Any]]) ?? []
    }

    // MARK: Lineage

    @Test func downstreamOfATableListsDataSourcesAndWorkbooksIncludingThroughDataSources() async throws {
        try await Self.withDemo { session, _ in
            let reply = try await session.graphql(
                """
                query {
                  databaseTables(filter: {name: "orders", schema: "public"}) {
                    name schema fullName connectionType
                    database { name connectionType }
                    downstreamDatasources { luid name }
                    downstreamWorkbooks { luid name }
                  }
                }
                """
            )
            #expect(reply.status == 200)
            let object = try reply.object()
            #expect(object["errors"] == nil, "\(reply)")
            let tables = try #require(Self.at(object, "data", "databaseTables") as? [Any], "\(reply)")
            try #require(tables.count == 1, "\(reply)")
            let table = tables[0]
            #expect(Self.at(table, "name") as? String == "orders")
            #expect(Self.at(table, "schema") as? String == "public")
            #expect(Self.at(table, "fullName") as? String == "[public].[orders]")
            #expect(Self.at(table, "connectionType") as? String == "postgres")
            #expect(Self.at(table, "database", "name") as? String == "warehouse")
            #expect(Self.at(table, "database", "connectionType") as? String == "postgres")
            #expect(Set(Self.strings(Self.at(table, "downstreamDatasources"), "name")) == ["Sales", "Orders"])
            #expect(Self.strings(Self.at(table, "downstreamWorkbooks"), "name") == ["Executive Dashboard"])

            // luids are the REST API ids.
            let sales = try await session.restId("datasource", named: "Sales")
            let orders = try await session.restId("datasource", named: "Orders")
            let dashboard = try await session.restId("workbook", named: "Executive Dashboard")
            #expect(Set(Self.strings(Self.at(table, "downstreamDatasources"), "luid")) == [sales, orders])
            #expect(Self.strings(Self.at(table, "downstreamWorkbooks"), "luid") == [dashboard])
        }
    }

    @Test func lineageQueryWithVariablesAnswersUpstreamTablesAndDataSources() async throws {
        try await Self.withDemo { session, _ in
            let sales = try await session.restId("datasource", named: "Sales")
            let orders = try await session.restId("datasource", named: "Orders")
            let dashboard = try await session.restId("workbook", named: "Executive Dashboard")
            let finance = try await session.restId("workbook", named: "Finance Overview")
            let reply = try await session.graphql(
                """
                query lineage($ds: [String], $wb: [String]) {
                  publishedDatasourcesConnection(filter: {luidWithin: $ds}) {
                    nodes { luid name
                      upstreamTables { id luid name schema fullName connectionType
                                       database { id luid name connectionType } }
                      upstreamDatabases { id name connectionType } } }
                  workbooksConnection(filter: {luidWithin: $wb}) {
                    nodes { luid name
                      upstreamDatasources { luid name }
                      upstreamTables { name schema fullName database { name connectionType } }
                      embeddedDatasources { name upstreamTables { name schema } } } }
                }
                """,
                variables: #"{"ds":["\#(sales)","\#(orders)"],"wb":["\#(dashboard)","\#(finance)"]}"#
            )
            #expect(reply.status == 200)
            let object = try reply.object()
            #expect(object["errors"] == nil, "\(reply)")

            let datasources = try #require(Self.at(object, "data", "publishedDatasourcesConnection", "nodes") as? [[String: Any]], "\(reply)")
            #expect(Set(datasources.compactMap { $0["name"] as? String }) == ["Sales", "Orders"])
            let salesNode = try #require(datasources.first { $0["luid"] as? String == sales })
            #expect(Set(Self.strings(salesNode["upstreamTables"], "name")) == ["orders", "customers"])
            #expect(Set(Self.strings(salesNode["upstreamTables"], "fullName")) == ["[public].[orders]", "[public].[customers]"])
            #expect(Self.at(salesNode, "upstreamTables", 0, "database", "name") as? String == "warehouse")
            #expect(Self.strings(salesNode["upstreamDatabases"], "name") == ["warehouse"])
            // Metadata ids differ from REST luids, as on a real server.
            let tableId = try #require(Self.at(salesNode, "upstreamTables", 0, "id") as? String)
            let tableLuid = try #require(Self.at(salesNode, "upstreamTables", 0, "luid") as? String)
            #expect(tableId != tableLuid)

            let workbooks = try #require(Self.at(object, "data", "workbooksConnection", "nodes") as? [[String: Any]], "\(reply)")
            #expect(Set(workbooks.compactMap { $0["name"] as? String }) == ["Executive Dashboard", "Finance Overview"])
            let dashboardNode = try #require(workbooks.first { $0["luid"] as? String == dashboard })
            #expect(Self.strings(dashboardNode["upstreamDatasources"], "name") == ["Sales"])
            #expect(Self.strings(dashboardNode["upstreamDatasources"], "luid") == [sales])
            #expect(Set(Self.strings(dashboardNode["upstreamTables"], "name")) == ["orders", "customers"])
            #expect(Self.strings(dashboardNode["embeddedDatasources"], "name") == ["Sales"])
            #expect(Set(Self.strings(Self.at(dashboardNode, "embeddedDatasources", 0, "upstreamTables"), "name")) == ["orders", "customers"])

            let financeNode = try #require(workbooks.first { $0["luid"] as? String == finance })
            #expect(Self.strings(financeNode["upstreamDatasources"], "name") == [])
            #expect(Self.strings(financeNode["upstreamTables"], "fullName") == ["[finance].[ledger]"])
            #expect(Self.at(financeNode, "upstreamTables", 0, "database", "name") as? String == "warehouse")
            #expect(Self.strings(financeNode["embeddedDatasources"], "name") == ["ledger (warehouse)"])
        }
    }

    @Test func publishedDataSourceDownstreamWorkbooksAndDatabaseServerFragment() async throws {
        try await Self.withDemo { session, _ in
            let reply = try await session.graphql(
                """
                {
                  publishedDatasources(filter: {name: "Customers Live"}) {
                    name hasExtracts extractLastRefreshTime
                    downstreamWorkbooks { name }
                    upstreamDatabases { name connectionType __typename ... on DatabaseServer { hostName port } }
                  }
                }
                """
            )
            let object = try reply.object()
            #expect(object["errors"] == nil, "\(reply)")
            let node = try #require(Self.at(object, "data", "publishedDatasources", 0) as? [String: Any], "\(reply)")
            #expect(node["hasExtracts"] as? Bool == false)
            #expect(node["extractLastRefreshTime"] is NSNull)
            #expect(Self.strings(node["downstreamWorkbooks"], "name") == ["Live Ops"])
            #expect(Self.at(node, "upstreamDatabases", 0, "__typename") as? String == "DatabaseServer")
            #expect(Self.at(node, "upstreamDatabases", 0, "port") as? Int == 5432)
            #expect(Self.at(node, "upstreamDatabases", 0, "hostName") is String)
        }
    }

    @Test func extractLastRefreshTimeFollowsSuccessfulRefreshes() async throws {
        let configuration = EmulatorConfiguration(clock: .manual())
        try await Self.withDemo(configuration: configuration) { session, emulator in
            let query = #"{ publishedDatasources(filter: {nameWithin: ["Sales", "Orders"]}) { name extractLastRefreshTime } }"#
            let before = try await session.graphql(query).object()
            for node in (Self.at(before, "data", "publishedDatasources") as? [[String: Any]]) ?? [] {
                #expect(node["extractLastRefreshTime"] is NSNull)
            }
            for name in ["Sales", "Orders"] {
                let id = try await session.restId("datasource", named: name)
                let queued = try await session.post("/api/3.24/sites/\(session.siteId)/datasources/\(id)/refresh", "{}")
                #expect(queued.status == 202, "\(queued)")
            }
            emulator.state.clock.advance(by: 60)
            let after = try await session.graphql(query)
            let nodes = try #require(Self.at(try after.object(), "data", "publishedDatasources") as? [[String: Any]], "\(after)")
            let times = Dictionary(uniqueKeysWithValues: nodes.map { ($0["name"] as? String ?? "", $0["extractLastRefreshTime"]) })
            // Sales succeeds after 3 s of the manual clock (2026-01-01T00:00:00Z); Orders' refresh fails.
            #expect(times["Sales"] as? String == "2026-01-01T00:00:03Z", "\(after)")
            #expect(times["Orders"] is NSNull, "\(after)")
        }
    }

    // MARK: Filters

    @Test func luidWithinAndOtherFiltersSelectNodes() async throws {
        try await Self.withDemo { session, _ in
            let dashboard = try await session.restId("workbook", named: "Executive Dashboard")
            let liveOps = try await session.restId("workbook", named: "Live Ops")

            let within = try await session.graphql(
                #"query($wb: [String]) { workbooks(filter: {luidWithin: $wb}) { luid name } }"#,
                variables: #"{"wb":["\#(dashboard)","\#(liveOps)","no-such-luid"]}"#
            ).object()
            #expect(Set(Self.strings(Self.at(within, "data", "workbooks"), "name")) == ["Executive Dashboard", "Live Ops"])

            let single = try await session.graphql(#"{ workbooks(filter: {luid: "\#(dashboard)"}) { name projectName } }"#).object()
            #expect(Self.strings(Self.at(single, "data", "workbooks"), "name") == ["Executive Dashboard"])
            #expect(Self.strings(Self.at(single, "data", "workbooks"), "projectName") == ["Default"])

            let empty = try await session.graphql(#"{ workbooks(filter: {luidWithin: []}) { name } }"#).object()
            #expect(Self.strings(Self.at(empty, "data", "workbooks"), "name") == [])

            // A null variable means "no filter on that field".
            let unfiltered = try await session.graphql(
                #"query($ds: [String]) { publishedDatasources(filter: {luidWithin: $ds}) { name } }"#, variables: #"{"ds":null}"#
            ).object()
            #expect(Self.strings(Self.at(unfiltered, "data", "publishedDatasources"), "name").count == 5)

            let tables = try await session.graphql(
                #"{ a: databaseTables(filter: {fullName: "[finance].[ledger]"}) { name } b: databaseTables(filter: {schemaWithin: ["public"]}) { name } c: databaseTables(filter: {name: "orders", schema: "finance"}) { name } }"#
            ).object()
            #expect(Self.strings(Self.at(tables, "data", "a"), "name") == ["ledger"])
            #expect(Set(Self.strings(Self.at(tables, "data", "b"), "name")) == ["orders", "customers"])
            #expect(Self.strings(Self.at(tables, "data", "c"), "name") == [])

            let extracts = try await session.graphql(#"{ publishedDatasources(filter: {hasExtracts: false}) { name } }"#).object()
            #expect(Self.strings(Self.at(extracts, "data", "publishedDatasources"), "name") == ["Customers Live"])

            let databases = try await session.graphql(#"{ databases(filter: {name: "warehouse"}) { name tables { name } } }"#).object()
            #expect(Self.strings(Self.at(databases, "data", "databases"), "name") == ["warehouse"])
            #expect(Self.strings(Self.at(databases, "data", "databases", 0, "tables"), "name").count == 3)
        }
    }

    // MARK: Query language

    @Test func aliasesAndFragmentsKeepTheQueryOrder() async throws {
        try await Self.withDemo { session, _ in
            let reply = try await session.graphql(
                """
                query Tables {
                  ledger: databaseTables(filter: {name: "ledger"}) { ...Where name }
                }
                fragment Where on DatabaseTable { schema database { name } }
                """
            )
            #expect(reply.status == 200)
            #expect(reply.body == #"{"data":{"ledger":[{"schema":"finance","database":{"name":"warehouse"},"name":"ledger"}]}}"#)
        }
    }

    @Test func syntaxErrorGivesNullDataAndAnError() async throws {
        try await Self.withDemo { session, _ in
            let reply = try await session.graphql("{ databaseTables { name ")
            #expect(reply.status == 200)
            let object = try reply.object()
            #expect(object["data"] is NSNull, "\(reply)")
            let errors = Self.errors(object)
            try #require(errors.count == 1, "\(reply)")
            #expect((errors[0]["message"] as? String)?.isEmpty == false)
            #expect(errors[0]["locations"] is [Any])
        }
    }

    @Test func unknownFieldIsAValidationError() async throws {
        try await Self.withDemo { session, _ in
            let reply = try await session.graphql("{ databaseTables { name noSuchField } }")
            #expect(reply.status == 200)
            let object = try reply.object()
            #expect(object["data"] is NSNull, "\(reply)")
            let message = Self.errors(object).first?["message"] as? String ?? ""
            #expect(message.contains("noSuchField"), "\(reply)")
        }
    }

    // MARK: Paging

    @Test func connectionsPageWithFirstAndAfter() async throws {
        try await Self.withDemo { session, _ in
            let query = """
                query page($after: String) {
                  databaseTablesConnection(first: 2, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } }
                }
                """
            let first = try await session.graphql(query).object()
            let page1 = Self.at(first, "data", "databaseTablesConnection")
            #expect(Self.at(page1, "totalCount") as? Int == 3)
            #expect(Self.strings(Self.at(page1, "nodes"), "name").count == 2)
            #expect(Self.at(page1, "pageInfo", "hasNextPage") as? Bool == true)
            let cursor = try #require(Self.at(page1, "pageInfo", "endCursor") as? String)

            let second = try await session.graphql(query, variables: #"{"after":"\#(cursor)"}"#).object()
            let page2 = Self.at(second, "data", "databaseTablesConnection")
            #expect(Self.strings(Self.at(page2, "nodes"), "name").count == 1)
            #expect(Self.at(page2, "pageInfo", "hasNextPage") as? Bool == false)
            let all = Self.strings(Self.at(page1, "nodes"), "name") + Self.strings(Self.at(page2, "nodes"), "name")
            #expect(Set(all) == ["orders", "customers", "ledger"])

            // A cursor of another connection type is refused.
            let wrong = try await session.graphql(
                #"query($after: String) { workbooksConnection(after: $after) { nodes { name } } }"#, variables: #"{"after":"\#(cursor)"}"#
            ).object()
            #expect(Self.errors(wrong).first?["message"] as? String == "The query contains an invalid cursor. Make sure to use cursors of the same type.")
            #expect(Self.at(Self.errors(wrong).first, "extensions", "code") as? String == "INVALID_ARGUMENT")
        }
    }

    @Test func tooLargePageIsCappedWithAWarning() async throws {
        try await Self.withDemo { session, _ in
            let reply = try await session.graphql("{ workbooksConnection(first: 5000) { totalCount nodes { name } } }")
            #expect(reply.status == 200)
            let object = try reply.object()
            #expect(Self.strings(Self.at(object, "data", "workbooksConnection", "nodes"), "name").count == 3, "\(reply)")
            let warning = try #require(Self.errors(object).first, "\(reply)")
            #expect(Self.at(warning, "extensions", "code") as? String == "MAX_PAGE_SIZE_EXCEEDED")
            #expect(Self.at(warning, "extensions", "severity") as? String == "WARNING")
            #expect(Self.at(warning, "path", 0) as? String == "workbooksConnection")
        }
    }

    // MARK: Authentication

    @Test func missingTokenIs401() async throws {
        try await withEmulator(seed: DemoSeed.seed()) { emulator in
            let anonymous = Session(base: emulator.baseURL, token: nil, siteId: "")
            let reply = try await anonymous.graphql("{ workbooks { name } }")
            #expect(reply.status == 401, "\(reply)")
            #expect(Self.at(try reply.object(), "error", "code") as? String == "401000", "\(reply)")

            let unknown = Session(base: emulator.baseURL, token: "not-a-token", siteId: "")
            #expect(try await unknown.graphql("{ workbooks { name } }").status == 401)
        }
    }
}
