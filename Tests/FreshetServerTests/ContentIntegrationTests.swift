import Foundation
import Freshet
import FreshetServer
import Testing
import TableauEmulator

/// Users and content browsing against the emulator, with Tableau's paging carried through.
@Suite struct ContentIntegrationTests {
    func withDemo<T: Sendable>(_ body: @Sendable (RunningEmulator, FreshetRuntime) async throws -> T) async throws -> T {
        let data = DemoDataDirectory()
        defer { data.remove() }
        return try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            try await body(emulator, try await data.addDemoConnection(emulator))
        }
    }

    @Test func usersArePagedAndFiltered() async throws {
        try await withDemo { _, runtime in
            let first = try await runtime.users(connection: "demo", query: UserListQuery(pageNumber: 1, pageSize: 3), actor: "t")
            let second = try await runtime.users(connection: "demo", query: UserListQuery(pageNumber: 2, pageSize: 3), actor: "t")
            #expect(first.users.count == 3 && first.paging == Paging(pageNumber: 1, pageSize: 3, totalAvailable: 4) && first.paging.hasMore)
            #expect(second.users.count == 1 && second.paging.pageNumber == 2 && !second.paging.hasMore)
            #expect(Set((first.users + second.users).map(\.name)).count == 4)
            let viewers = try await runtime.users(connection: "demo", query: UserListQuery(siteRole: "Viewer"), actor: "t")
            #expect(viewers.users.map(\.name) == ["viewer@example.com"] && viewers.paging.totalAvailable == 1)
            let byEmail = try await runtime.users(connection: "demo", query: UserListQuery(email: "analyst@example.com"), actor: "t")
            #expect(byEmail.users.map(\.siteRole) == ["Creator"])
        }
    }

    @Test func lookUpByNameOrEmailAndSetRole() async throws {
        try await withDemo { _, runtime in
            let user = try await runtime.user(connection: "demo", identity: "new.hire@example.com", actor: "t")
            #expect(user.siteRole == "Unlicensed" && user.fullName == "Nia New")
            await #expect(throws: AccessError.userNotOnSite("nobody@example.com")) {
                _ = try await runtime.user(connection: "demo", identity: "nobody@example.com", actor: "t")
            }
            let change = try await runtime.setSiteRole(connection: "demo", user: "new.hire@example.com", role: "Viewer", actor: "cli:t")
            #expect(change.changed && change.previousRole == "Unlicensed" && change.user.siteRole == "Viewer" && change.user.id == user.id)
            let audit = try #require(try await runtime.store.events(AuditQuery(action: "users.site_role_set")).first)
            #expect(audit.actor == "cli:t" && audit.outcome == "success" && audit.details["newRole"] == "Viewer")
        }
    }

    @Test func collectionsSearchAndUsage() async throws {
        try await withDemo { _, runtime in
            let collections = try await runtime.collections(connection: "demo", actor: "t")
            #expect(collections.collections.map(\.name) == ["Quarterly Review"] && collections.paging.totalAvailable == 1)
            let empty = try await runtime.collections(connection: "demo", pageNumber: 2, pageSize: 1, actor: "t")
            #expect(empty.collections.isEmpty && empty.paging.pageNumber == 2 && empty.paging.totalAvailable == 1)

            let all = try await runtime.searchContent(connection: "demo", query: ContentSearchQuery(terms: "", limit: 4), actor: "t")
            #expect(all.hits.count == 4 && all.total > 4 && all.hasNext && all.pageIndex == 0)
            let next = try await runtime.searchContent(connection: "demo", query: ContentSearchQuery(terms: "", page: 1, limit: 4), actor: "t")
            #expect(next.pageIndex == 1 && Set(next.hits.map(\.id)).isDisjoint(with: all.hits.map(\.id)))

            let sales = try await runtime.searchContent(connection: "demo", query: ContentSearchQuery(terms: "sales", types: ["datasource"]), actor: "t")
            let hit = try #require(sales.hits.first { $0.title == "Sales" })
            #expect(sales.hits.allSatisfy { $0.type == "datasource" })
            let usage = try await runtime.usageStats(connection: "demo", type: .datasource, id: hit.id, actor: "t")
            #expect(usage.hitsTotal == 120 && usage.hitsLastTwoWeeksTotal == 14)
            await #expect(throws: AccessError.self) {
                _ = try await runtime.usageStats(connection: "demo", type: .workbook, id: "00000000-0000-0000-0000-000000000000", actor: "t")
            }
        }
    }

    @Test func serverInfoAndCurrentSession() async throws {
        try await withDemo { _, runtime in
            let info = try await runtime.serverInfo(connection: "demo", actor: "t")
            #expect(info.restApiVersion == "3.24" && !info.productVersion.isEmpty)
            let session = try await runtime.currentSession(connection: "demo", actor: "t")
            #expect(session.userName == "admin@example.com" && session.siteRole == "SiteAdministratorCreator" && session.siteContentUrl == "")
        }
    }

    @Test func anUnreachableServerIsReportedAsUnreachable() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        let runtime = try data.runtime()
        _ = try await runtime.connections.add(
            ConnectionDraft(name: "down", serverURL: "http://127.0.0.1:1", patName: "p", patSecret: "s"), actor: "t"
        )
        do {
            _ = try await runtime.currentSession(connection: "down", actor: "t")
            Issue.record("expected a failure")
        } catch let AccessError.tableau(error) {
            #expect(error.isUnreachable)
        }
    }
}
