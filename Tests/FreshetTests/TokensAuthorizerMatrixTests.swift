import Foundation
import Freshet
import Testing

/// Thousands of random tokens × content × actions: the authorizer must agree with a simple,
/// independently written oracle, and in particular never allow what the oracle refuses.
@Suite struct TokensAuthorizerMatrixTests {
    /// SplitMix64: a small seeded generator, so every run checks the same cases.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let names = ["prod", "staging", "Sales", "Sales EU", "sales", "Finance", "Fin", "Orders", "a*b", "ab", "", "Ops Daily", "x"]
    static let ids = ["id-1", "id-2", "wb-10", "ds-7", "prj-3"]
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func pattern(_ random: inout SeededGenerator) -> String {
        let base = (names + ids).randomElement(using: &random)!
        switch Int.random(in: 0..<8, using: &random) {
        case 0, 7: return "*"
        case 1: return String(base.prefix(2)) + "*"
        case 2: return "*" + String(base.suffix(2))
        case 3: return String(base.prefix(1)) + "*" + String(base.suffix(1))
        case 4: return base.uppercased()
        default: return base
        }
    }

    static func patterns(_ random: inout SeededGenerator) -> [GlobPattern] {
        (0..<Int.random(in: 0...3, using: &random)).map { _ in GlobPattern(pattern(&random)) }
    }

    static func named(_ random: inout SeededGenerator) -> ContentName {
        ContentName(id: Bool.random(using: &random) ? ids.randomElement(using: &random) : nil, name: names.randomElement(using: &random)!)
    }

    func randomToken(_ random: inout SeededGenerator) -> APIToken {
        let scopes = Set(TokenScope.allCases.filter { _ in Bool.random(using: &random) })
        let list = TokenAllowList(
            connections: Self.patterns(&random), projects: Self.patterns(&random), workbooks: Self.patterns(&random),
            datasources: Self.patterns(&random))
        let expiry: Date? = [nil, now.addingTimeInterval(-60), now, now.addingTimeInterval(60)].randomElement(using: &random)!
        return APIToken(
            name: "t", hash: "", hint: "", scopes: scopes, isAdmin: Int.random(in: 0..<10, using: &random) == 0, allowList: list,
            createdBy: "test", expiresAt: expiry, revokedAt: Int.random(in: 0..<10, using: &random) == 0 ? now : nil)
    }

    func randomAction(_ random: inout SeededGenerator) -> TokenAction {
        let plain: [TokenAction] = [.readConnections, .manageConnections, .readRuns, .readAudit, .manageUsers, .passthrough, .manageTokens]
        guard Int.random(in: 0..<3, using: &random) == 0 else {
            let kind = RefreshContent.Kind.allCases.randomElement(using: &random)!
            let content = RefreshContent(
                connection: Self.named(&random), kind: kind, item: Self.named(&random),
                project: kind != .project && Bool.random(using: &random) ? Self.named(&random) : nil)
            return Int.random(in: 0..<3, using: &random) == 0 ? .readRun(content) : .refresh(content)
        }
        return plain.randomElement(using: &random)!
    }

    // MARK: The oracle, written from docs/api.md without the engine's code.

    static func oracleMatches(_ pattern: String, _ value: String) -> Bool {
        let regex = "^" + pattern.split(separator: "*", omittingEmptySubsequences: false).map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: ".*") + "$"
        return value.range(of: regex, options: .regularExpression) != nil
    }

    static func oracleAny(_ patterns: [GlobPattern], _ named: ContentName?) -> Bool {
        guard let named else { return false }
        return patterns.contains { oracleMatches($0.text, named.name) || (named.id != nil && oracleMatches($0.text, named.id!)) }
    }

    /// A known project as any name; an unknown one only under a pattern that matches every name
    /// (checked on a few very different names, not by reading the pattern).
    static func oracleProject(_ patterns: [GlobPattern], _ project: ContentName?) -> Bool {
        guard let project else {
            return patterns.contains { pattern in ["", "x", "Sales EU", "*", "a*b"].allSatisfy { oracleMatches(pattern.text, $0) } }
        }
        return oracleAny(patterns, project)
    }

    func oracle(_ token: APIToken, _ action: TokenAction) -> Bool {
        if token.revokedAt != nil { return false }
        if let expiry = token.expiresAt, !(now < expiry) { return false }
        if token.isAdmin { return true }
        switch action {
        case .manageTokens: return false
        case .readConnections, .readRuns: return token.scopes.contains(.read)
        case .manageConnections: return token.scopes.contains(.connectionsAdmin)
        case .readAudit: return token.scopes.contains(.auditRead)
        case .manageUsers: return token.scopes.contains(.usersAdmin)
        case .passthrough: return token.scopes.contains(.tableauPassthrough)
        case .readRun(let content):
            return token.scopes.contains(.read) || oracle(token, .refresh(content))
        case .refresh(let content):
            guard token.scopes.contains(.refresh), Self.oracleAny(token.allowList.connections, content.connection) else { return false }
            let list = token.allowList
            switch content.kind {
            case .project: return Self.oracleAny(list.projects, content.item)
            case .workbook: return Self.oracleProject(list.projects, content.project) || Self.oracleAny(list.workbooks, content.item)
            case .datasource: return Self.oracleProject(list.projects, content.project) || Self.oracleAny(list.datasources, content.item)
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 20_251_120])
    func randomMatrixShowsZeroEscapes(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        var escapes: [String] = []
        var overDenials = 0
        var allowedRefreshes = 0, deniedRefreshes = 0, allowedRunReads = 0, deniedRunReads = 0
        for _ in 0..<8_000 {
            let token = randomToken(&random)
            let action = randomAction(&random)
            let decided = Authorizer.decide(token, action, now: now).isAllowed
            let expected = oracle(token, action)
            if decided && !expected { escapes.append("\(token.scopes) \(token.allowList) \(action)") }
            if !decided && expected { overDenials += 1 }
            if case .refresh = action, token.scopes.contains(.refresh), !token.isAdmin, token.revokedAt == nil {
                if decided { allowedRefreshes += 1 } else { deniedRefreshes += 1 }
            }
            if case .readRun = action, token.scopes.contains(.refresh), !token.scopes.contains(.read), !token.isAdmin, token.revokedAt == nil {
                if decided { allowedRunReads += 1 } else { deniedRunReads += 1 }
            }
        }
        #expect(escapes.isEmpty, "\(escapes.count) escapes, first: \(escapes.first ?? "")")
        #expect(overDenials == 0)
        // The matrix exercises the allow-list both ways, not only trivial refusals.
        #expect(allowedRefreshes > 100 && deniedRefreshes > 100, "allowed \(allowedRefreshes), denied \(deniedRefreshes)")
        #expect(allowedRunReads > 20 && deniedRunReads > 20, "run reads allowed \(allowedRunReads), denied \(deniedRunReads)")
    }
}
