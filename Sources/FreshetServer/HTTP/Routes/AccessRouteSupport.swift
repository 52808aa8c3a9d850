import Foundation
import Freshet
import Hummingbird

/// How the access, user, content and pass-through routes answer the engine's errors, and how
/// they read their query parameters.
enum AccessProblems {
    /// The problem document for an ``AccessError``:
    /// - an unknown role: 422 naming `field`, with the valid roles;
    /// - a user not on the site, an unknown connection: 404 (the first-sign-in message for users);
    /// - a PAT that is not a site administrator: 502 `tableau-permission` with the health check's message;
    /// - Tableau unreachable: 503; Tableau's own 404: 404; anything else Tableau said: 502, in Tableau's words;
    /// - an incomplete request: 422 naming `field`.
    /// With `tableauNotFound: false` Tableau's 404 is a 502 as well (the pass-through: a 404
    /// there would read as "no such connection").
    static func problem(_ error: AccessError, field: String? = nil, tableauNotFound: Bool = true) -> ProblemDocument {
        switch error {
        case .invalidRole:
            return .invalid(error.description, field: field)
        case .userNotOnSite:
            return ProblemDocument("user-not-on-site", title: "User not on the site", status: 404, detail: error.description)
        case .connectionNotFound:
            return .notFound(error.description + ".")
        case .notSiteAdministrator(let tableau):
            return ProblemDocument(
                "tableau-permission", title: "Tableau refused user management", status: 502, detail: error.description,
                tableau: .init(httpStatus: 403, code: nil, summary: nil, detail: tableau))
        case .invalidRequest(let message, let named):
            return .invalid(message, field: named ?? field)
        case .tableau(let gateway):
            return tableau(gateway, notFound: tableauNotFound)
        }
    }

    /// Tableau's failure, in its words.
    static func tableau(_ error: GatewayError, notFound: Bool = true) -> ProblemDocument {
        if error.isCancelled { return .cancelled() }
        let cause = ProblemDocument.TableauProblem(httpStatus: error.status, code: error.code, summary: nil, detail: error.message)
        if error.isUnreachable {
            return ProblemDocument(
                "tableau-unreachable", title: "Tableau unreachable", status: 503, detail: error.message, tableau: cause,
                headers: ["Retry-After": "30"])
        }
        if notFound, error.status == 404 {
            return ProblemDocument("not-found", title: "Not found", status: 404, detail: error.message, tableau: cause)
        }
        return ProblemDocument("tableau", title: "Tableau error", status: 502, detail: error.message, tableau: cause)
    }

    /// Runs `body`, turning an ``AccessError`` into its problem document.
    static func mapping<T>(field: String? = nil, tableauNotFound: Bool = true, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AccessError {
            throw problem(error, field: field, tableauNotFound: tableauNotFound)
        }
    }
}

/// A route's query parameters, checked: unknown names, integers out of range and empty
/// values are 400 problems naming the parameter.
struct RouteQuery {
    let parameters: Parameters

    /// Refuses any parameter not in `known`.
    init(_ parameters: Parameters, known: Set<String>) throws {
        if let unknown = parameters.map({ String($0.key) }).sorted().first(where: { !known.contains($0) }) {
            throw ProblemDocument.badRequest("Unknown query parameter \"\(unknown)\".", field: unknown)
        }
        self.parameters = parameters
    }

    /// The (last) non-empty value of `name`.
    func text(_ name: String) -> String? {
        parameters.getAll(name).last.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every value of `name`, each split at commas, without empties.
    func list(_ name: String) -> [String] {
        parameters.getAll(name).flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The integer `name` in `range`, or `fallback` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        // Given empty is refused, not taken as absent.
        guard let value = parameters.getAll(name).last else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw ProblemDocument.badRequest(
                "Query parameter \"\(name)\" must be an integer from \(range.lowerBound) to \(range.upperBound).", field: name)
        }
        return number
    }
}
