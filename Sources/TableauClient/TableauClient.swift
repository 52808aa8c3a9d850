import Foundation
import Logging

/// A typed async client for Tableau's REST API that never fights Tableau's session rules.
///
/// One client holds one credential: it signs in once, shares the session among concurrent
/// calls, signs in again once when Tableau answers 401, and speaks JSON on the wire.
///
/// ```swift
/// let client = TableauClient(configuration: TableauConfiguration(
///     server: try ServerAddress("https://tableau.example.com/"),
///     siteContentUrl: "marketing",
///     credentials: .personalAccessToken(name: "freshet", secret: secret)))
/// let job = try await client.refresh(.datasource, id: datasourceId)
/// let outcome = try await client.waitForJob(job.id, timeout: .seconds(1800))
/// try await client.signOut()
/// ```
public final class TableauClient: Sendable {
    public let configuration: TableauConfiguration
    let executor: RequestExecutor
    let broker: SessionBroker
    let clock: any PollingClock
    let waiter: JobWaiter

    /// - Parameters:
    ///   - configuration: server, site, credentials, version, timeouts, retry and polling policies, logger.
    ///   - transport: how requests are sent; AsyncHTTPClient's shared client by default.
    ///   - clock: the clock waits and retries run on; inject a manual clock in tests.
    ///   - sessionCache: shares sessions across processes (see ``TableauSessionCache``).
    public init(
        configuration: TableauConfiguration, transport: any TableauTransport = AsyncHTTPClientTransport(),
        clock: any PollingClock = SystemPollingClock(), sessionCache: (any TableauSessionCache)? = nil
    ) {
        self.configuration = configuration
        self.clock = clock
        executor = RequestExecutor(configuration: configuration, transport: transport, clock: clock)
        broker = SessionBroker(executor: executor, cache: sessionCache)
        waiter = JobWaiter(policy: configuration.polling, clock: clock, logger: configuration.logger)
    }

    static let jsonHeaders: [(String, String)] = [("Accept", "application/json"), ("User-Agent", "Freshet-TableauClient/1.0")]

    /// Where a request goes.
    enum Path {
        /// `/api/{v}/<path>`
        case versioned(String)
        /// `/api/{v}/sites/{site-id}/<path>`
        case site(String)
        /// `/api/-/<path>`
        case versionless(String)
        /// `/api/metadata/graphql`
        case metadata
        /// Any path starting with `/`.
        case absolute(String)
    }

    func url(_ path: Path, session: TableauSession, query: [(String, String)]) -> String {
        let base = configuration.server.baseURL
        var url: String
        switch path {
        case .versioned(let rest): url = "\(base)/api/\(session.apiVersion)/\(rest)"
        case .site(let rest): url = "\(base)/api/\(session.apiVersion)/sites/\(session.siteId)" + (rest.isEmpty ? "" : "/\(rest)")
        case .versionless(let rest): url = "\(base)/api/-/\(rest)"
        case .metadata: url = "\(base)/api/metadata/graphql"
        case .absolute(let rest): url = base + rest
        }
        if !query.isEmpty {
            url += "?" + query.map { "\(QueryEncoding.encode($0.0))=\(QueryEncoding.encode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// Sends an authenticated request. A 401 means Tableau did not carry the request out: when
    /// another caller already replaced the refused session, the request is sent again on the new
    /// one; otherwise the session is dropped and a new one signed in. At most three sessions are
    /// tried, so a burst of revocations never turns into a false failure, while a credential
    /// Tableau keeps refusing fails. `retry` overrides the configured retry of transient failures
    /// (`.none` for calls that must not be repeated blindly, such as a refresh trigger).
    func send(
        _ method: String, _ path: Path, query: [(String, String)] = [], json body: Any? = nil, rawBody: [UInt8]? = nil,
        contentType: String? = nil, retry: RetryPolicy? = nil
    ) async throws(TableauError) -> TransportResponse {
        var bytes = rawBody
        if let body {
            do {
                bytes = Array(try JSONSerialization.data(withJSONObject: body))
            } catch {
                throw .configuration("request body is not valid JSON")
            }
        }
        var headers = Self.jsonHeaders
        if bytes != nil { headers.append(("Content-Type", contentType ?? "application/json")) }
        var session = try await broker.session()
        var sessionsTried = 1
        while true {
            let request = TransportRequest(
                method: method, url: url(path, session: session, query: query), headers: headers + [("X-Tableau-Auth", session.token)], body: bytes
            )
            do {
                return try await executor.execute(request, retry: retry)
            } catch where error.isSessionInvalid {
                let replacement = await broker.replacement(for: session.token)
                if let replacement {
                    // Someone else already signed in again: use their session, it costs no sign-in.
                    configuration.logger.debug("tableau session refused; using the session that replaced it", metadata: ["status": "401"])
                    session = replacement
                    continue
                }
                guard sessionsTried < 3 else {
                    throw TableauError(kind: .sessionsRefused, status: 401, detail: "three", host: configuration.server.host)
                }
                configuration.logger.debug("tableau session refused; signing in again", metadata: ["status": "401"])
                await broker.invalidate(token: session.token)
                session = try await broker.session()
                sessionsTried += 1
            }
        }
    }

    /// Sends and decodes a JSON answer.
    func sendJSON(
        _ method: String, _ path: Path, query: [(String, String)] = [], json body: Any? = nil
    ) async throws(TableauError) -> JSONValue {
        try Self.decode(try await send(method, path, query: query, json: body))
    }

    static func decode(_ response: TransportResponse) throws(TableauError) -> JSONValue {
        if response.body.isEmpty { return .object([:]) }
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw .invalidResponse("expected JSON, got: \(RequestExecutor.excerpt(response.body))", status: response.status)
        }
    }

    // MARK: Sessions

    /// The current session, signing in if needed.
    public func session() async throws(TableauError) -> TableauSession {
        try await broker.session()
    }

    /// Signs in anew even when a session is live (a keep-alive: Tableau counts each sign-in as
    /// a use of the credential). With a PAT this ends the previous session, whose holders then
    /// move to the new one as after any 401.
    public func signInAnew() async throws(TableauError) -> TableauSession {
        try await broker.renew()
    }

    /// Signs out of the current session (no-op when there is none).
    public func signOut() async throws(TableauError) {
        try await broker.signOut()
    }

    /// Sign-ins this client has performed.
    public func signInCount() async -> Int {
        await broker.signIns()
    }

    /// The REST API version in use, negotiated from `serverinfo` on first use.
    public func apiVersion() async throws(TableauError) -> String {
        try await broker.apiVersion()
    }
}

/// Percent-encoding for query strings (spaces as %20; Tableau also accepts `+`).
enum QueryEncoding {
    static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        // `[` and `]` stay encoded: Foundation on Linux re-encodes a query holding them raw.
        set.insert(charactersIn: "-._~:,")
        return set
    }()

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
