/// The five connection health checks: DESIGN.md's four with their exact texts, and the token
/// lifetime (issue 20).
package enum HealthCheck: String, Sendable, CaseIterable, Codable {
    case apiConnection
    case sessionAndSite
    case contentAccess
    case userManagementScope
    case tokenLifetime

    /// The check's name as shown.
    package var title: String {
        switch self {
        case .apiConnection: "Validate Tableau API Connection"
        case .sessionAndSite: "Check Tableau Session & Site"
        case .contentAccess: "Check Tableau Content Access"
        case .userManagementScope: "Check Tableau User Management Scope"
        case .tokenLifetime: "Check Tableau Token Lifetime"
        }
    }
}

/// The result of one check.
package struct HealthCheckResult: Sendable, Equatable, Codable {
    package var check: HealthCheck
    package var passed: Bool
    /// Passed, but something needs attention soon (a token close to expiry).
    package var warning: Bool
    /// The check's success or failure text.
    package var message: String
    /// Tableau's own error, when there is one (or why a secret reference could not be read).
    package var tableauError: String?

    package init(check: HealthCheck, passed: Bool, warning: Bool = false, message: String, tableauError: String? = nil) {
        self.check = check
        self.passed = passed
        self.warning = warning
        self.message = message
        self.tableauError = tableauError
    }
}

/// Runs the checks against a gateway.
package struct HealthChecker: Sendable {
    package static let apiOK = "Successfully connected to Tableau API"
    package static let apiFailed = "Unable to connect to Tableau API. Please verify your credentials are valid and the server URL is correct."
    package static let defaultSiteOK = "Successfully accessed the default Tableau site"
    package static let siteFailed = "Failed to access the configured Tableau site. Please verify your site content URL and that the PAT has access to it."
    package static let contentOK = "Successfully accessed Tableau content"
    package static let contentFailed = "Failed to access Tableau content. Please verify your token has read permissions."
    package static let usersOK = "PAT can list site users."
    package static let usersForbidden = "The configured PAT does not have permission to manage site users. Recreate the PAT under a site or server administrator account if user-management workflows are needed."
    package static let usersFailed = "Failed to list Tableau site users while checking user-management scope."
    package static let usersNoSite = "Could not look up the current Tableau site before checking user-management scope. Verify the Session & Site check passes first."

    static func siteOK(_ contentUrl: String) -> String {
        contentUrl.isEmpty ? defaultSiteOK : "Successfully accessed Tableau site \"\(contentUrl)\""
    }

    static func usersOK(total: Int?) -> String {
        total.map { "PAT can list site users (\($0) total)." } ?? usersOK
    }

    static let secretSkipped = "Not checked: the connection's secret could not be read from its reference (see the first check)."

    static func secretUnreadable(_ error: GatewayError) -> String {
        "Unable to read the connection's secret from its reference, so Tableau was not contacted: \(error.message)"
    }

    let gateway: any HealthCheckGateway
    let lifetime: TokenLifetimeCheck?

    /// - Parameter lifetime: what the token lifetime check reads; without it that check reports
    ///   that lifetimes are not tracked.
    package init(gateway: any HealthCheckGateway, lifetime: TokenLifetimeCheck? = nil) {
        self.gateway = gateway
        self.lifetime = lifetime
    }

    /// Runs one check on its own.
    package func run(_ check: HealthCheck) async -> HealthCheckResult {
        switch check {
        case .apiConnection:
            return await apiConnection().result
        case .sessionAndSite:
            do throws(GatewayError) {
                let site = try await gateway.currentSiteContentUrl()
                return HealthCheckResult(check: check, passed: true, message: Self.siteOK(site))
            } catch {
                return HealthCheckResult(check: check, passed: false, message: Self.siteFailed, tableauError: error.message)
            }
        case .contentAccess:
            do throws(GatewayError) {
                try await gateway.readContent()
                return HealthCheckResult(check: check, passed: true, message: Self.contentOK)
            } catch {
                return HealthCheckResult(check: check, passed: false, message: Self.contentFailed, tableauError: error.message)
            }
        case .userManagementScope:
            do throws(GatewayError) {
                _ = try await gateway.currentSiteContentUrl()
            } catch {
                return HealthCheckResult(check: check, passed: false, message: Self.usersNoSite, tableauError: error.message)
            }
            do throws(GatewayError) {
                let total = try await gateway.countUsers()
                return HealthCheckResult(check: check, passed: true, message: Self.usersOK(total: total))
            } catch {
                let message = error.isForbidden ? Self.usersForbidden : Self.usersFailed
                return HealthCheckResult(check: check, passed: false, message: message, tableauError: error.message)
            }
        case .tokenLifetime:
            do throws(GatewayError) {
                try await gateway.signIn()
            } catch {
                return HealthCheckResult(check: check, passed: false, message: TokenLifetimeCheck.noSignIn, tableauError: error.message)
            }
            guard let lifetime else { return HealthCheckResult(check: check, passed: true, message: TokenLifetimeCheck.notTracked) }
            return await lifetime.result()
        }
    }

    /// The first check, and the secret-reference failure that failed it, if any.
    private func apiConnection() async -> (result: HealthCheckResult, unreadable: GatewayError?) {
        do throws(GatewayError) {
            try await gateway.signIn()
            return (HealthCheckResult(check: .apiConnection, passed: true, message: Self.apiOK), nil)
        } catch where error.isSecretUnavailable {
            return (HealthCheckResult(check: .apiConnection, passed: false, message: Self.secretUnreadable(error), tableauError: error.message), error)
        } catch {
            return (HealthCheckResult(check: .apiConnection, passed: false, message: Self.apiFailed, tableauError: error.message), nil)
        }
    }

    /// Runs all five checks in order. When the secret cannot be read from its reference, the
    /// other checks fail at once with that reason (reading it again, say from a hanging helper,
    /// would only make the answer slower).
    package func runAll() async -> [HealthCheckResult] {
        let (first, unreadable) = await apiConnection()
        var results = [first]
        for check in HealthCheck.allCases.dropFirst() {
            if let unreadable {
                results.append(HealthCheckResult(check: check, passed: false, message: Self.secretSkipped, tableauError: unreadable.message))
            } else {
                results.append(await run(check))
            }
        }
        return results
    }
}
