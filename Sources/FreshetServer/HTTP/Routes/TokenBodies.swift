import Foundation
import Freshet

/// `POST /api/v1/tokens`.
struct CreateTokenBody: JSONRequestBody {
    var name: String
    var scopes: [String]?
    var admin: Bool?
    var allowList: AllowListBody?
    /// An instant (ISO 8601) after which the token is refused.
    var expiresAt: Date?
    /// Or a duration from now: `90m`, `12h`, `30d`, `8w`.
    var expiresIn: String?

    struct AllowListBody: Decodable, Sendable {
        var connections: [String]?
        var projects: [String]?
        var workbooks: [String]?
        var datasources: [String]?

        var allowList: TokenAllowList {
            TokenAllowList(
                connections: (connections ?? []).map(GlobPattern.init), projects: (projects ?? []).map(GlobPattern.init),
                workbooks: (workbooks ?? []).map(GlobPattern.init), datasources: (datasources ?? []).map(GlobPattern.init))
        }
    }

    static let shape = JSONShape.object([
        "name": .value, "scopes": .value, "admin": .value, "expiresAt": .value, "expiresIn": .value,
        "allowList": .object(["connections": .value, "projects": .value, "workbooks": .value, "datasources": .value]),
    ])

    /// The scopes named, or a 400 naming the unknown one.
    func parsedScopes() throws -> Set<TokenScope> {
        var result: Set<TokenScope> = []
        for (index, name) in (scopes ?? []).enumerated() {
            guard let scope = TokenScope(named: name) else {
                let known = TokenScope.allCases.map(\.rawValue).joined(separator: ", ")
                throw ProblemDocument.badRequest("Unknown scope \"\(name)\"; scopes are \(known).", field: "scopes[\(index)]")
            }
            result.insert(scope)
        }
        return result
    }

    func expiry(now: Date) throws -> Date? {
        guard let expiresIn else { return expiresAt }
        guard expiresAt == nil else { throw ProblemDocument.badRequest("Give expiresAt or expiresIn, not both.", field: "expiresIn") }
        guard let seconds = TokenExpiry.seconds(expiresIn) else {
            throw ProblemDocument.badRequest("Field \"expiresIn\" must look like 90m, 12h, 30d or 8w.", field: "expiresIn")
        }
        return now.addingTimeInterval(seconds)
    }
}

/// The answer to a token creation: the token's text (shown this once) and its description.
struct CreatedToken: Encodable {
    var token: String
    var view: APITokenView

    enum CodingKeys: String, CodingKey { case token }

    func encode(to encoder: any Encoder) throws {
        try view.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(token, forKey: .token)
    }
}

/// The answer of `GET /api/v1/tokens`.
struct TokenList: Encodable {
    var tokens: [APITokenView]
}
