package import Foundation

/// The fifth health check, "Check Tableau Token Lifetime": days left on the credential as
/// Tableau estimated at the last sign-in, a warning below the connection's threshold, a failure
/// once expired; plus when it was last used and whether keep-alive is on.
package struct TokenLifetimeCheck: Sendable {
    static let noSignIn = "Could not sign in to Tableau, so the token's lifetime is unknown. Fix the API connection check first."
    static let notTracked = "Token lifetimes are not tracked here."

    let connection: Connection
    let read: @Sendable () async throws -> CredentialLifetime?
    let now: @Sendable () -> Date

    package init(connection: Connection, now: @escaping @Sendable () -> Date = { Date() }, read: @escaping @Sendable () async throws -> CredentialLifetime?) {
        self.connection = connection
        self.read = read
        self.now = now
    }

    func result() async -> HealthCheckResult {
        let check = HealthCheck.tokenLifetime
        let recorded: CredentialLifetime?
        do {
            recorded = try await read()
        } catch {
            return HealthCheckResult(check: check, passed: false, message: "Could not read the recorded token lifetime: \(error)")
        }
        let time = now()
        let keepAlive = connection.keepAliveDays.map { " Keep-alive signs in at least every \($0) day\($0 == 1 ? "" : "s")." } ?? ""
        guard let recorded else {
            return HealthCheckResult(check: check, passed: true, message: "No sign-in has been recorded yet, so Tableau has not reported the token's lifetime.")
        }
        let used = " Last used \(Self.ago(recorded.lastUsedAt, now: time))."
        guard let days = recorded.daysLeft(at: time), let expiresAt = recorded.expiresAt else {
            let what = if case .connectedApp = connection.auth { "Connected apps sign in with short-lived tokens; Tableau reports no expiry to watch." } else {
                "Tableau reported no expiry for this Personal Access Token."
            }
            return HealthCheckResult(check: check, passed: true, message: what + used + keepAlive)
        }
        let date = ISO8601DateFormatter.string(from: expiresAt, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        if expiresAt <= time {
            return HealthCheckResult(
                check: check, passed: false,
                message: "The Personal Access Token expired on \(date). Create a new token in Tableau and update the connection's secret (or the secret its reference reads)."
            )
        }
        let threshold = connection.effectiveWarningDays
        let left = "\(days) day\(days == 1 ? "" : "s") left (Tableau's estimate: expires \(date))."
        if days < threshold {
            return HealthCheckResult(
                check: check, passed: true, warning: true,
                message: "The token expires soon: \(left) This is below the \(threshold)-day warning threshold; create a new token in Tableau and update the secret before then." + used + keepAlive
            )
        }
        return HealthCheckResult(check: check, passed: true, message: "Token lifetime OK: \(left)" + used + keepAlive)
    }

    static func ago(_ date: Date, now: Date) -> String {
        let days = Int((now.timeIntervalSince(date) / 86_400).rounded(.down))
        switch days {
        case ..<1: return "today"
        case 1: return "1 day ago"
        default: return "\(days) days ago"
        }
    }
}
