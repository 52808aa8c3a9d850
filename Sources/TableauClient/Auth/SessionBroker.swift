import Foundation
import Logging

/// One per credential: signs in once and shares the token among all concurrent calls.
///
/// Only one sign-in is ever in flight; callers that arrive meanwhile await it. A call refused
/// with 401 reports its token through ``invalidate(token:)``, so one new sign-in follows no
/// matter how many calls saw the 401. With a PAT this means Tableau never sees two sign-ins
/// racing, which would end the earlier session.
actor SessionBroker {
    private let executor: RequestExecutor
    private let cache: (any TableauSessionCache)?
    private var current: TableauSession?
    private var inFlight: Task<TableauSession, any Error>?
    private var negotiatedVersion: String?
    /// Tokens Tableau refused (most recent last, bounded): never used again, even when a shared
    /// cache still holds one of them while another process discards it.
    private var refused: [String] = []
    /// Sign-ins performed by this broker (for tests and metrics).
    private(set) var signInCount = 0
    /// Whether the next sign-in should read the credentials anew (Tableau refused a session or a
    /// sign-in since they were read).
    private var credentialsStale = false

    init(executor: RequestExecutor, cache: (any TableauSessionCache)?) {
        self.executor = executor
        self.cache = cache
    }

    var configuration: TableauConfiguration { executor.configuration }

    /// The live session, signing in if there is none.
    func session() async throws(TableauError) -> TableauSession {
        if let current { return current }
        if let inFlight { return try await Self.value(of: inFlight) }
        let task = Task { try await self.obtainSession() }
        inFlight = task
        defer { inFlight = nil }
        let session = try await Self.value(of: task)
        current = session
        return session
    }

    private static func value(of task: Task<TableauSession, any Error>) async throws(TableauError) -> TableauSession {
        do {
            return try await task.value
        } catch let error as TableauError {
            throw error
        } catch {
            throw TableauError(kind: .unreachable, detail: AsyncHTTPClientTransport.describe(error))
        }
    }

    private func obtainSession() async throws -> TableauSession {
        if let cache {
            if let cached = try await cache.cachedSession(), !refused.contains(cached.token) { return cached }
            var session = try await cache.signIn { try await self.signIn() }
            // The cache may hand back a token Tableau already refused (another process had not
            // discarded it yet): discard it and sign in anew.
            for _ in 0..<2 where refused.contains(session.token) {
                try? await cache.discard(token: session.token)
                session = try await cache.signIn { try await self.signIn() }
            }
            return session
        }
        return try await signIn()
    }

    /// The session that replaced `token` after Tableau refused it, if one exists already (so a
    /// caller refused with an old token retries without another sign-in); nil when `token` is
    /// still the current session or none is live.
    func replacement(for token: String) -> TableauSession? {
        guard let current, current.token != token, !refused.contains(current.token) else { return nil }
        return current
    }

    /// Forgets `token` (Tableau answered 401 to it): it is never handed out again.
    func invalidate(token: String) async {
        if !refused.contains(token) {
            refused.append(token)
            if refused.count > 16 { refused.removeFirst(refused.count - 16) }
        }
        if current?.token == token { current = nil }
        credentialsStale = true
        if let cache { try? await cache.discard(token: token) }
    }

    /// Signs in anew even though a session may be live (a keep-alive sign-in, which Tableau
    /// counts as using the credential): the current session is dropped, not refused.
    func renew() async throws(TableauError) -> TableauSession {
        if let inFlight { _ = try? await Self.value(of: inFlight) }
        var stale = current
        if stale == nil, let cache { stale = try? await cache.cachedSession() }
        current = nil
        if let cache, let stale { try? await cache.discard(token: stale.token) }
        return try await session()
    }

    /// The credentials for a sign-in: the configured ones, or the source's (read anew when stale).
    private func signInCredentials() async throws(TableauError) -> Credentials {
        guard let source = configuration.credentialSource else { return configuration.credentials }
        let refresh = credentialsStale
        credentialsStale = false
        do {
            return try await source.credentials(refresh: refresh)
        } catch let error as TableauError {
            throw error
        } catch {
            throw TableauError(kind: .credentialsUnavailable, detail: "\(error)", host: configuration.server.hostAndPort, duringSignIn: true)
        }
    }

    /// The REST API version to use: the configured one, lowered to what `serverinfo` reports.
    func apiVersion() async throws(TableauError) -> String {
        if let negotiatedVersion { return negotiatedVersion }
        let configured = configuration.apiVersion
        guard configuration.negotiateVersion else { return configured }
        let info: ServerInfo
        do {
            info = try await fetchServerInfo(version: configured)
        } catch where error.code == "404001" || error.status == 404 {
            // The server is older than the configured version: ask at 2.4, which every server since 10.1 serves.
            info = try await fetchServerInfo(version: "2.4")
        }
        let chosen = APIVersionNumber.min(configured, info.restApiVersion)
        negotiatedVersion = chosen
        executor.logger.debug("negotiated REST API version", metadata: ["version": "\(chosen)", "server": "\(info.restApiVersion)"])
        return chosen
    }

    func fetchServerInfo(version: String) async throws(TableauError) -> ServerInfo {
        let url = executor.configuration.server.baseURL + "/api/\(version)/serverinfo"
        let response = try await executor.execute(TransportRequest(method: "GET", url: url, headers: TableauClient.jsonHeaders))
        let json = try TableauClient.decode(response)
        guard let info = ServerInfo(json: json) else { throw .invalidResponse("serverinfo carried no restApiVersion") }
        return info
    }

    /// Signs in with the configured credentials (one HTTP call, plus serverinfo the first time).
    /// With a credential source, a sign-in refused with 401 on credentials read from memory is
    /// tried once more with credentials read anew.
    func signIn() async throws -> TableauSession {
        let readAnew = credentialsStale || configuration.credentialSource == nil
        do {
            return try await signIn(with: try await signInCredentials())
        } catch let error as TableauError where error.status == 401 && error.duringSignIn && !readAnew {
            credentialsStale = true
            return try await signIn(with: try await signInCredentials())
        }
    }

    private func signIn(with signInCredentials: Credentials) async throws -> TableauSession {
        let version = try await apiVersion()
        var credentials: [String: Any] = ["site": ["contentUrl": configuration.siteContentUrl]]
        switch signInCredentials {
        case .personalAccessToken(let name, let secret):
            credentials["personalAccessTokenName"] = name
            credentials["personalAccessTokenSecret"] = secret
        case .connectedApp(let app):
            credentials["jwt"] = try await JWTMinter.mint(app)
        case .password(let username, let password):
            credentials["name"] = username
            credentials["password"] = password
        }
        let body = try JSONSerialization.data(withJSONObject: ["credentials": credentials])
        let url = configuration.server.baseURL + "/api/\(version)/auth/signin"
        signInCount += 1
        executor.logger.debug("signing in to tableau", metadata: ["identity": "\(signInCredentials.identity)", "site": "\(configuration.siteContentUrl)"])
        let response = try await executor.execute(
            TransportRequest(method: "POST", url: url, headers: TableauClient.jsonHeaders + [("Content-Type", "application/json")], body: Array(body)),
            signIn: true
        )
        let json: JSONValue
        do {
            json = try JSONValue.parse(response.body)
        } catch {
            throw TableauError(kind: .notTableau, status: response.status, detail: RequestExecutor.excerpt(response.body), host: configuration.server.hostAndPort, duringSignIn: true)
        }
        guard let token = json.at("credentials.token")?.string, !token.isEmpty else { throw TableauError(kind: .noSessionToken) }
        guard let siteId = json.at("credentials.site.id")?.string else {
            throw TableauError.invalidResponse("sign-in answer carried no site id")
        }
        return TableauSession(
            token: token, siteId: siteId, siteContentUrl: json.at("credentials.site.contentUrl")?.string ?? configuration.siteContentUrl,
            userId: json.at("credentials.user.id")?.string ?? "", apiVersion: version, signedInAt: Date(),
            credentialExpiresIn: json.at("credentials.estimatedTimeToExpiration")?.string.flatMap(TableauSession.seconds(ofEstimatedTimeToExpiration:))
        )
    }

    /// Signs out of the current session, if any.
    func signOut() async throws(TableauError) {
        inFlight?.cancel()
        guard let session = current else { return }
        current = nil
        if let cache { try? await cache.discard(token: session.token) }
        let url = configuration.server.baseURL + "/api/\(session.apiVersion)/auth/signout"
        do {
            _ = try await executor.execute(TransportRequest(method: "POST", url: url, headers: TableauClient.jsonHeaders + [("X-Tableau-Auth", session.token)]))
        } catch where error.status == 401 {
            // Already gone on Tableau's side: signed out all the same.
        }
    }

    func signIns() -> Int { signInCount }
}

/// Compares REST API versions numerically ("3.9" < "3.10").
enum APIVersionNumber {
    static func parse(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        return (major, minor)
    }

    static func min(_ a: String, _ b: String) -> String {
        guard let x = parse(a), let y = parse(b) else { return a }
        return x <= y ? a : b
    }

    static func atLeast(_ version: String, _ minimum: String) -> Bool {
        guard let x = parse(version), let y = parse(minimum) else { return true }
        return x >= y
    }
}
