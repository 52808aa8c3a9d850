import Testing
import Freshet

/// A gateway whose answers the test sets.
struct FakeGateway: HealthCheckGateway {
    var signInError: GatewayError?
    var site: Result<String, GatewayError> = .success("")
    var contentError: GatewayError?
    var users: Result<Int?, GatewayError> = .success(12)

    func signIn() async throws(GatewayError) { if let signInError { throw signInError } }
    func currentSiteContentUrl() async throws(GatewayError) -> String { try site.get() }
    func readContent() async throws(GatewayError) { if let contentError { throw contentError } }
    func countUsers() async throws(GatewayError) -> Int? { try users.get() }
}

@Suite struct HealthCheckTests {
    let signInFailure = GatewayError(status: 401, code: "401001", message: "Tableau sign-in failed (HTTP 401, Signin Error): Error signing in to Tableau Server")
    let forbidden = GatewayError(status: 403, code: "403000", message: "Tableau request failed (HTTP 403, Forbidden): not an administrator")

    @Test func allFivePassWithTheirExactTexts() async {
        let results = await HealthChecker(gateway: FakeGateway()).runAll()
        #expect(results.map(\.check.title) == [
            "Validate Tableau API Connection", "Check Tableau Session & Site", "Check Tableau Content Access", "Check Tableau User Management Scope",
            "Check Tableau Token Lifetime",
        ])
        #expect(results.map(\.message) == [
            "Successfully connected to Tableau API", "Successfully accessed the default Tableau site", "Successfully accessed Tableau content",
            "PAT can list site users (12 total).", "Token lifetimes are not tracked here.",
        ])
        #expect(results.allSatisfy { $0.passed })
    }

    @Test func namedSiteAndUncountedUsers() async {
        let results = await HealthChecker(gateway: FakeGateway(site: .success("marketing"), users: .success(nil))).runAll()
        #expect(results[1].message == "Successfully accessed Tableau site \"marketing\"")
        #expect(results[3].message == "PAT can list site users.")
    }

    @Test func failuresCarryTableausError() async {
        let gateway = FakeGateway(signInError: signInFailure, site: .failure(signInFailure), contentError: signInFailure)
        let results = await HealthChecker(gateway: gateway).runAll()
        #expect(results[0] == HealthCheckResult(
            check: .apiConnection, passed: false,
            message: "Unable to connect to Tableau API. Please verify your credentials are valid and the server URL is correct.",
            tableauError: signInFailure.message
        ))
        #expect(results[1].message == "Failed to access the configured Tableau site. Please verify your site content URL and that the PAT has access to it.")
        #expect(results[2].message == "Failed to access Tableau content. Please verify your token has read permissions.")
        #expect(results[3].message == "Could not look up the current Tableau site before checking user-management scope. Verify the Session & Site check passes first.")
        #expect(results.allSatisfy { !$0.passed && $0.tableauError != nil })
        #expect(results[4].message == "Could not sign in to Tableau, so the token's lifetime is unknown. Fix the API connection check first.")
    }

    @Test func anUnreadableSecretReferenceIsNotBlamedOnTableau() async {
        let unreadable = GatewayError(message: "Cannot read the secret from file:/run/secrets/pat: the file does not exist", isSecretUnavailable: true)
        let result = await HealthChecker(gateway: FakeGateway(signInError: unreadable)).run(.apiConnection)
        #expect(!result.passed && result.tableauError == unreadable.message)
        #expect(result.message == "Unable to read the connection's secret from its reference, so Tableau was not contacted: \(unreadable.message)")
        let all = await HealthChecker(gateway: FakeGateway(signInError: unreadable)).runAll()
        #expect(all.count == 5 && all.allSatisfy { !$0.passed && $0.tableauError == unreadable.message })
        #expect(all.dropFirst().allSatisfy { $0.message.hasPrefix("Not checked: the connection's secret could not be read") })
    }

    @Test func userManagementForbiddenAndOtherFailures() async {
        let denied = await HealthChecker(gateway: FakeGateway(users: .failure(forbidden))).run(.userManagementScope)
        #expect(denied.message == "The configured PAT does not have permission to manage site users. Recreate the PAT under a site or server administrator account if user-management workflows are needed.")
        let broken = await HealthChecker(gateway: FakeGateway(users: .failure(GatewayError(status: 500, message: "boom", isTransient: true)))).run(.userManagementScope)
        #expect(broken.message == "Failed to list Tableau site users while checking user-management scope.")
    }
}
