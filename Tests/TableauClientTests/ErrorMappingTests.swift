import Testing
@testable import TableauClient

/// Error wording, transient retries and non-Tableau answers, on a scripted transport.
@Suite struct ErrorMappingTests {
    func client(_ transport: ScriptedTransport, clock: any PollingClock = InstantClock(), retry: RetryPolicy = RetryPolicy()) throws -> TableauClient {
        TableauClient(
            configuration: TableauConfiguration(
                server: try ServerAddress("tableau.example.com"), credentials: .personalAccessToken(name: "pat", secret: "s3cr3t-value"),
                retry: retry
            ),
            transport: transport, clock: clock
        )
    }

    @Test func signInFailureUsesTableausWords() async throws {
        let transport = ScriptedTransport { request in
            if request.url.hasSuffix("serverinfo") { return ScriptedTransport.serverInfo }
            return ScriptedTransport.json(401, #"{"error":{"summary":"Signin Error","detail":"Error signing in to Tableau Server","code":"401001"}}"#)
        }
        let error = try await #require(throws: TableauError.self) { try await client(transport).session() }
        #expect(error.description == "Tableau sign-in failed (HTTP 401, Signin Error): Error signing in to Tableau Server")
        #expect(error.code == "401001" && !error.isTransient)
    }

    @Test func signInWithoutTokenIsReported() async throws {
        let transport = ScriptedTransport { request in
            request.url.hasSuffix("serverinfo") ? ScriptedTransport.serverInfo : ScriptedTransport.json(200, #"{"credentials":{"site":{"id":"s"}}}"#)
        }
        let error = try await #require(throws: TableauError.self) { try await client(transport).session() }
        #expect(error.description == "Tableau sign-in succeeded but returned no session token")
    }

    /// Issue 19: a cancelled call is its own outcome — not a timeout, not transient, not retried.
    @Test func cancellationIsNotATimeoutAndIsNotRetried() async throws {
        let transport = ScriptedTransport { _ in throw CancellationError() }
        let error = try await #require(throws: TableauError.self) { try await client(transport).serverInfo() }
        #expect(error.kind == .cancelled && !error.isTransient)
        #expect(transport.requests.count == 1)
    }

    @Test func unreachableHostIsNamed() async throws {
        let transport = ScriptedTransport { _ in throw TransportFailure(.unreachable, "connection refused") }
        let error = try await #require(throws: TableauError.self) { try await client(transport, retry: .none).serverInfo() }
        #expect(error.description.hasPrefix("could not reach Tableau at tableau.example.com"))
    }

    @Test func nonTableauAnswerShowsATruncatedRawBody() async throws {
        let page = "<html><body>" + String(repeating: "Welcome to nginx! ", count: 40) + "</body></html>"
        let transport = ScriptedTransport { _ in TransportResponse(status: 404, body: Array(page.utf8)) }
        let error = try await #require(throws: TableauError.self) { try await client(transport).serverInfo() }
        #expect(error.kind == .notTableau)
        #expect(error.description.contains("<html><body>Welcome to nginx!"))
        #expect(error.description.count < 400)
    }

    @Test func transientFailuresAreRetriedHonouringRetryAfter() async throws {
        let calls = Counter()
        let clock = InstantClock()
        let transport = ScriptedTransport { request in
            guard request.url.hasSuffix("serverinfo") else { return ScriptedTransport.signIn }
            switch calls.next() {
            case 1: return TransportResponse(status: 429, headers: [("Retry-After", "7")], body: Array("<html>Too Many</html>".utf8))
            case 2: return ScriptedTransport.json(503, #"{"error":{"summary":"Service Unavailable","detail":"later","code":"503000"}}"#)
            default: return ScriptedTransport.serverInfo
            }
        }
        let info = try await client(transport, clock: clock).serverInfo()
        #expect(info.restApiVersion == "3.24")
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps[0] >= .seconds(7))
    }

    @Test func permanentFailuresAreNotRetried() async throws {
        let calls = Counter()
        let transport = ScriptedTransport { request in
            if request.url.hasSuffix("serverinfo") { return ScriptedTransport.serverInfo }
            if request.url.hasSuffix("signin") { return ScriptedTransport.signIn }
            _ = calls.next()
            return ScriptedTransport.json(404, #"{"error":{"summary":"Resource Not Found","detail":"Workbook 'x' could not be found.","code":"404006"}}"#)
        }
        let error = try await #require(throws: TableauError.self) { try await client(transport).item(.workbook, id: "x") }
        #expect(calls.value == 1)
        #expect(error.description == "Tableau request failed (HTTP 404, Resource Not Found): Workbook 'x' could not be found.")
    }

    @Test func duplicateRefreshIsRecognisableWithoutParsingText() async throws {
        let transport = ScriptedTransport { request in
            if request.url.hasSuffix("serverinfo") { return ScriptedTransport.serverInfo }
            if request.url.hasSuffix("signin") { return ScriptedTransport.signIn }
            return ScriptedTransport.json(409, #"{"error":{"summary":"Resource Conflict","detail":"Job for 'Sales' is already queued. Not queuing a duplicate.","code":"409093"}}"#)
        }
        let error = try await #require(throws: TableauError.self) { try await client(transport).refresh(.datasource, id: "d") }
        #expect(error.isDuplicateRefresh)
    }

    @Test func xmlErrorsAreReadToo() {
        let xml = #"<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns="http://tableau.com/api"><error code="404002"><summary>Resource Not Found</summary><detail>User &apos;9f&apos; could not be found.</detail></error></tsResponse>"#
        let parsed = RequestExecutor.tableauError(in: Array(xml.utf8))
        #expect(parsed?.code == "404002" && parsed?.summary == "Resource Not Found" && parsed?.detail == "User '9f' could not be found.")
    }

    @Test func olderServerIsNegotiatedDown() async throws {
        let transport = ScriptedTransport { request in
            if request.url.contains("/api/3.24/serverinfo") {
                return ScriptedTransport.json(404, #"{"error":{"summary":"Resource Not Found","detail":"Version '3.24' is not a valid version of the API.","code":"404001"}}"#)
            }
            if request.url.contains("/api/2.4/serverinfo") {
                return ScriptedTransport.json(200, #"{"serverInfo":{"productVersion":{"value":"2022.1.0","build":"b"},"restApiVersion":"3.15"}}"#)
            }
            return ScriptedTransport.signIn
        }
        let session = try await client(transport).session()
        #expect(session.apiVersion == "3.15")
        #expect(transport.requests.last?.url.contains("/api/3.15/auth/signin") == true)
    }
}

/// A thread-safe call counter.
final class Counter: Sendable {
    private let count = Synchronization.Mutex(0)
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
    var value: Int { count.withLock { $0 } }
}

import Synchronization
