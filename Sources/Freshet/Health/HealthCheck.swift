/// The four connection health checks, with DESIGN.md's exact texts.
public enum HealthCheck: String, Sendable, CaseIterable, Codable {
    case apiConnection
    case sessionAndSite
    case contentAccess
    case userManagementScope

    /// The check's name as shown.
    public var title: String {
        switch self {
        case .apiConnection: "Validate Tableau API Connection"
        case .sessionAndSite: "Check Tableau Session & Site"
        case .contentAccess: "Check Tableau Content Access"
        case .userManagementScope: "Check Tableau User Management Scope"
        }
    }
}

/// The result of one check.
public struct HealthCheckResult: Sendable, Equatable, Codable {
    public var check: HealthCheck
    public var passed: Bool
    /// The check's success or failure text.
    public var message: String
    /// Tableau's own error, when there is one.
    public var tableauError: String?

    public init(check: HealthCheck, passed: Bool, message: String, tableauError: String? = nil) {
        self.check = check
        self.passed = passed
        self.message = message
        self.tableauError = tableauError
    }
}

/// Runs the checks against a gateway.
public struct HealthChecker: Sendable {
    public static let apiOK = "Successfully connected to Tableau API"
    public static let apiFailed = "Unable to connect to Tableau API. Please verify your credentials are valid and the server URL is correct."
    public static let defaultSiteOK = "Successfully accessed the default Tableau site"
    public static let siteFailed = "Failed to access the configured Tableau site. Please verify your site content URL and that the PAT has access to it."
    public static let contentOK = "Successfully accessed Tableau content"
    public static let contentFailed = "Failed to access Tableau content. Please verify your token has read permissions."
    public static let usersOK = "PAT can list site users."
    public static let usersForbidden = "The configured PAT does not have permission to manage site users. Recreate the PAT under a site or server administrator account if user-management workflows are needed."
    public static let usersFailed = "Failed to list Tableau site users while checking user-management scope."
    public static let usersNoSite = "Could not look up the current Tableau site before checking user-management scope. Verify the Session & Site check passes first."

    static func siteOK(_ contentUrl: String) -> String {
        contentUrl.isEmpty ? defaultSiteOK : "Successfully accessed Tableau site \"\(contentUrl)\""
    }

    static func usersOK(total: Int?) -> String {
        total.map { "PAT can list site users (\($0) total)." } ?? usersOK
    }

    let gateway: any HealthCheckGateway

    public init(gateway: any HealthCheckGateway) {
        self.gateway = gateway
    }

    /// Runs one check on its own.
    public func run(_ check: HealthCheck) async -> HealthCheckResult {
        switch check {
        case .apiConnection:
            do throws(GatewayError) {
                try await gateway.signIn()
                return HealthCheckResult(check: check, passed: true, message: Self.apiOK)
            } catch {
                return HealthCheckResult(check: check, passed: false, message: Self.apiFailed, tableauError: error.message)
            }
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
        }
    }

    /// Runs all four checks in order.
    public func runAll() async -> [HealthCheckResult] {
        var results: [HealthCheckResult] = []
        for check in HealthCheck.allCases { results.append(await run(check)) }
        return results
    }
}
