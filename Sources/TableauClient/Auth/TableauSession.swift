public import Foundation

/// A signed-in Tableau session: the credentials token and what sign-in returned.
public struct TableauSession: Sendable, Equatable, CustomStringConvertible {
    /// The `X-Tableau-Auth` token. Never logged or printed.
    public var token: String
    public var siteId: String
    public var siteContentUrl: String
    public var userId: String
    /// The REST API version this session talks.
    public var apiVersion: String
    /// When the session was made (wall clock), so caches can retire it before Tableau does.
    public var signedInAt: Date
    /// Seconds until the credential (a PAT) expires, from the sign-in answer's
    /// `estimatedTimeToExpiration` (`days:hours:minutes`); nil when Tableau sent none.
    public var credentialExpiresIn: TimeInterval?

    public init(
        token: String, siteId: String, siteContentUrl: String, userId: String, apiVersion: String, signedInAt: Date,
        credentialExpiresIn: TimeInterval? = nil
    ) {
        self.token = token
        self.siteId = siteId
        self.siteContentUrl = siteContentUrl
        self.userId = userId
        self.apiVersion = apiVersion
        self.signedInAt = signedInAt
        self.credentialExpiresIn = credentialExpiresIn
    }

    /// Seconds in an `estimatedTimeToExpiration` value such as `"177:05:38"` (days, hours,
    /// minutes), or nil when it is not in that form.
    public static func seconds(ofEstimatedTimeToExpiration text: String) -> TimeInterval? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let days = parts[0], let hours = parts[1], let minutes = parts[2], days >= 0, (0..<24).contains(hours),
            (0..<60).contains(minutes)
        else { return nil }
        return TimeInterval(days * 86_400 + hours * 3_600 + minutes * 60)
    }

    public var description: String {
        "TableauSession(site: \(siteId), user: \(userId), api: \(apiVersion), token: •••)"
    }
}

/// Shares sessions beyond one process (Freshet keeps them in its store, encrypted, and signs in
/// under a lease). Without a cache, a client shares one session among its own tasks only.
public protocol TableauSessionCache: Sendable {
    /// A session someone signed in and that is still usable, if any.
    func cachedSession() async throws -> TableauSession?
    /// Runs `signIn` so that only one process signs in at a time; if another process stored a
    /// session meanwhile, returns that one instead of signing in again.
    func signIn(_ signIn: @Sendable () async throws -> TableauSession) async throws -> TableauSession
    /// Forgets `token` after Tableau refused it.
    func discard(token: String) async throws
}

extension TableauSession: CustomDebugStringConvertible {
    /// Same as ``description``: the token never shows in `debugPrint` either.
    public var debugDescription: String { description }
}
