import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Collections, content search, usage statistics, server info and the session over HTTP, with
/// Tableau's paging carried through.
@Suite struct ContentRoutesTests {
    typealias F = AccessHTTPFixture

    @Test func collectionsArePagedAsTableauPagesThem() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("reader", [.read])
            let first = try await client.call(.get, "/api/v1/connections/demo/content/collections", token: token)
            #expect(first.status == .ok, "\(first.text)")
            #expect((first.object["collections"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Quarterly Review"])
            let second = try await client.call(.get, "/api/v1/connections/demo/content/collections?pageNumber=2&pageSize=1", token: token)
            let paging = try #require(second.object["paging"] as? [String: Any])
            #expect((second.object["collections"] as? [Any])?.isEmpty == true)
            #expect(paging["pageNumber"] as? Int == 2 && paging["pageSize"] as? Int == 1 && paging["totalAvailable"] as? Int == 1)
            #expect(try await client.call(.get, "/api/v1/connections/demo/content/collections?pageSize=x", token: token).status == .badRequest)
        }
    }

    @Test func searchPagesAreZeroBasedAndFilteredByType() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("reader", [.read])
            let first = try await client.call(.get, "/api/v1/connections/demo/content/search?limit=4", token: token)
            #expect(first.status == .ok, "\(first.text)")
            let hits = try #require(first.object["hits"] as? [[String: Any]])
            #expect(hits.count == 4 && first.object["pageIndex"] as? Int == 0 && first.object["hasNext"] as? Bool == true)
            #expect((first.object["total"] as? Int ?? 0) > 4)
            let next = try await client.call(.get, "/api/v1/connections/demo/content/search?limit=4&page=1", token: token)
            let nextIds = Set((next.object["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(next.object["pageIndex"] as? Int == 1 && nextIds.isDisjoint(with: hits.compactMap { $0["id"] as? String }))
            let sales = try await client.call(.get, "/api/v1/connections/demo/content/search?q=sales&types=datasource", token: token)
            let salesHits = try #require(sales.object["hits"] as? [[String: Any]])
            #expect(!salesHits.isEmpty && salesHits.allSatisfy { $0["type"] as? String == "datasource" })
        }
    }

    @Test func usageOfAWorkbookAndADataSource() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("reader", [.read])
            let search = try await client.call(.get, "/api/v1/connections/demo/content/search?q=&limit=50", token: token)
            let hits = try #require(search.object["hits"] as? [[String: Any]])
            let sales = try #require(hits.first { $0["title"] as? String == "Sales" && $0["type"] as? String == "datasource" }?["id"] as? String)
            let board = try #require(hits.first { $0["title"] as? String == "Executive Dashboard" }?["id"] as? String)
            let datasource = try await client.call(.get, "/api/v1/connections/demo/content/datasources/\(sales)/usage", token: token)
            #expect(datasource.status == .ok && datasource.object["hitsTotal"] as? Int == 120 && datasource.object["type"] as? String == "datasource")
            let workbook = try await client.call(.get, "/api/v1/connections/demo/content/workbooks/\(board)/usage", token: token)
            #expect(workbook.status == .ok && workbook.object["hitsTotal"] as? Int == 310)
            let missing = try await client.call(.get, "/api/v1/connections/demo/content/workbooks/00000000-0000-0000-0000-000000000000/usage", token: token)
            #expect(missing.status == .notFound && missing.isProblem && missing.object["tableau"] != nil, "\(missing.text)")
        }
    }

    @Test func serverInfoAndSession() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("reader", [.read])
            let info = try await client.call(.get, "/api/v1/connections/demo/server-info", token: token)
            #expect(info.status == .ok && info.object["restApiVersion"] as? String == "3.24", "\(info.text)")
            let session = try await client.call(.get, "/api/v1/connections/demo/session", token: token)
            #expect(session.status == .ok && session.object["userName"] as? String == "admin@example.com")
            #expect(session.object["siteRole"] as? String == "SiteAdministratorCreator" && !session.text.contains("token"))
            #expect(try await client.call(.get, "/api/v1/connections/nope/session", token: token).status == .notFound)
        }
    }
}
