import Foundation
import Freshet
import Testing

@Suite struct TokensAuthorizerTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    let prod = ContentName(id: "c-1", name: "prod")

    func token(_ scopes: Set<TokenScope>, admin: Bool = false, allow: TokenAllowList = TokenAllowList(), expires: Date? = nil) -> APIToken {
        APIToken(name: "t", hash: String(repeating: "0", count: 64), hint: "fsh_0000", scopes: scopes, isAdmin: admin, allowList: allow, createdBy: "test", expiresAt: expires)
    }

    func workbook(_ name: String, id: String? = nil, project: String? = nil) -> TokenAction {
        .refresh(RefreshContent(connection: prod, kind: .workbook, item: ContentName(id: id, name: name), project: project.map { ContentName(name: $0) }))
    }

    @Test(arguments: [
        ("*", "", true), ("*", "anything", true), ("Sales", "Sales", true), ("Sales", "sales", false), ("Sales", "Sales EU", false),
        ("Sales*", "Sales EU", true), ("*EU", "Sales EU", true), ("S*s", "Sales", true), ("S*s", "Salesx", false), ("a*b*c", "abc", true),
        ("a*b*c", "axxbyyc", true), ("a*b*c", "acb", false), ("**", "x", true), ("a*a", "a", false), ("", "", true), ("", "x", false),
    ])
    func globPatterns(pattern: String, value: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(value) == matches)
    }

    @Test func eachActionNeedsItsScope() {
        let cases: [(TokenAction, TokenScope)] = [
            (.readConnections, .read), (.readRuns, .read), (.manageConnections, .connectionsAdmin), (.readAudit, .auditRead),
            (.manageUsers, .usersAdmin), (.passthrough, .tableauPassthrough), (workbook("Sales"), .refresh),
        ]
        let everything = TokenAllowList.everything
        for (action, scope) in cases {
            let others = Set(TokenScope.allCases).subtracting([scope])
            let refused = Authorizer.decide(token(others, allow: everything), action, now: now)
            #expect(refused == .denied(Denial(.missingScope(scope))))
            if case .denied(let denial) = refused { #expect(denial.message.contains("\"\(scope.rawValue)\"")) }
            #expect(Authorizer.decide(token([scope], allow: everything), action, now: now) == .allowed)
        }
    }

    @Test func tokenManagementNeedsAnAdminToken() {
        #expect(Authorizer.decide(token(Set(TokenScope.allCases), allow: .everything), .manageTokens, now: now) == .denied(Denial(.adminRequired)))
        #expect(Authorizer.decide(token([], admin: true), .manageTokens, now: now) == .allowed)
        #expect(Authorizer.decide(token([], admin: true), workbook("Anything"), now: now) == .allowed)
    }

    @Test func revokedAndExpiredTokensMayDoNothing() {
        var revoked = token([], admin: true)
        revoked.revokedAt = now
        #expect(Authorizer.decide(revoked, .readConnections, now: now) == .denied(Denial(.revoked)))
        let expired = token([.read], expires: now)
        #expect(Authorizer.decide(expired, .readConnections, now: now) == .denied(Denial(.expired)))
        #expect(Authorizer.decide(expired, .readConnections, now: now.addingTimeInterval(-1)) == .allowed)
    }

    @Test func refreshAllowListIsDenyByDefault() {
        let empty = token([.refresh])
        guard case .denied(let denial) = Authorizer.decide(empty, workbook("Sales", project: "Finance"), now: now) else {
            Issue.record("an empty allow-list allowed a refresh")
            return
        }
        #expect(denial.message == "This API token may not refresh workbook \"Sales\" in project \"Finance\" on connection \"prod\": it is not in the token's allow-list.")
    }

    @Test func refreshNeedsTheConnectionAndTheContent() {
        let finance = token([.refresh], allow: TokenAllowList(connections: [GlobPattern("prod")], projects: [GlobPattern("Finance")]))
        #expect(Authorizer.decide(finance, workbook("Sales", project: "Finance"), now: now).isAllowed)
        #expect(!Authorizer.decide(finance, workbook("Sales", project: "Marketing"), now: now).isAllowed)
        #expect(!Authorizer.decide(finance, workbook("Sales"), now: now).isAllowed, "unknown project matches no project pattern")
        let otherConnection = RefreshContent(
            connection: ContentName(name: "staging"), kind: .workbook, item: ContentName(name: "Sales"), project: ContentName(name: "Finance"))
        #expect(!Authorizer.decide(finance, .refresh(otherConnection), now: now).isAllowed)
        let project = RefreshContent(connection: prod, kind: .project, item: ContentName(name: "Finance"))
        #expect(Authorizer.decide(finance, .refresh(project), now: now).isAllowed)
    }

    @Test func itemsMatchByNameOrIdAndOnlyTheirOwnKind() {
        let list = TokenAllowList(connections: [GlobPattern("c-*")], workbooks: [GlobPattern("wb-42"), GlobPattern("Daily *")])
        let refresher = token([.refresh], allow: list)
        #expect(Authorizer.decide(refresher, workbook("Whatever", id: "wb-42"), now: now).isAllowed)
        #expect(Authorizer.decide(refresher, workbook("Daily Sales"), now: now).isAllowed)
        let datasource = RefreshContent(connection: prod, kind: .datasource, item: ContentName(id: "wb-42", name: "Daily Sales"))
        #expect(!Authorizer.decide(refresher, .refresh(datasource), now: now).isAllowed, "workbook patterns never allow a data source")
    }
}
