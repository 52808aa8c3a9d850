public import Logging

/// Everything a ``TableauClient`` needs, as plain values.
public struct TableauConfiguration: Sendable {
    /// The server, e.g. `try ServerAddress("https://tableau.example.com/")`.
    public var server: ServerAddress
    /// Site content URL (the part after `/site/` in Tableau's URLs); empty means the Default site.
    public var siteContentUrl: String
    public var credentials: Credentials
    /// Where each sign-in reads its credentials when they live outside the client (a secrets
    /// manager, a mounted file); ``credentials`` is used when this is nil.
    public var credentialSource: (any CredentialSource)?
    /// REST API version to use (default 3.24). When the server is older, the client negotiates
    /// down from `serverinfo`; it never calls above what the server supports.
    public var apiVersion: String
    /// Whether to ask `serverinfo` before the first sign-in (turn off to use ``apiVersion`` as is).
    public var negotiateVersion: Bool
    /// Time allowed for one HTTP request.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    public var polling: PollingPolicy
    /// Logger for the client's own events; silent by default. Secrets are never logged.
    public var logger: Logger

    public init(
        server: ServerAddress, siteContentUrl: String = "", credentials: Credentials, apiVersion: String = "3.24",
        negotiateVersion: Bool = true, requestTimeout: Duration = .seconds(60), retry: RetryPolicy = RetryPolicy(),
        polling: PollingPolicy = PollingPolicy(),
        logger: Logger = Logger(label: "tableau.client", factory: { _ in SwiftLogNoOpLogHandler() }),
        credentialSource: (any CredentialSource)? = nil
    ) {
        self.server = server
        self.siteContentUrl = siteContentUrl
        self.credentials = credentials
        self.apiVersion = apiVersion
        self.negotiateVersion = negotiateVersion
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.polling = polling
        self.logger = logger
        self.credentialSource = credentialSource
    }
}

/// Supplies the credentials for each sign-in, for secrets kept outside the client. The client
/// asks with `refresh` after Tableau refused a session or a sign-in (the secret was probably
/// rotated where it lives), so a source that caches should read the secret again then.
/// Errors it throws reach callers as ``TableauError/Kind/credentialsUnavailable`` with the
/// error's description, so they must never contain the secret.
public protocol CredentialSource: Sendable {
    func credentials(refresh: Bool) async throws -> Credentials
}

/// How transient failures (429, 500, 502, 503, 504, unreachable, timeout) are retried.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt; 0 disables retrying.
    public var maxRetries: Int
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var multiplier: Double

    public init(maxRetries: Int = 3, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30), multiplier: Double = 2) {
        self.maxRetries = maxRetries
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
    }

    /// No retries.
    public static let none = RetryPolicy(maxRetries: 0)

    /// Delay before retry number `retry` (0-based), honouring Retry-After when it is longer.
    func delay(forRetry retry: Int, retryAfter: Double?) -> Duration {
        let exponential = initialDelay.seconds * pow(multiplier, Double(retry))
        let jittered = min(exponential, maxDelay.seconds) * Double.random(in: 0.8...1.2)
        let wanted = max(jittered, retryAfter ?? 0)
        return .milliseconds(Int64((min(wanted, max(maxDelay.seconds, retryAfter ?? 0)) * 1000).rounded()))
    }
}

/// How long to wait between checks of a running job: exponential backoff with jitter.
///
/// The default follows Tableau's own Python client (0.5 s, ×1.4, capped at 30 s), with jitter
/// only lengthening intervals, so waiting on one job never costs more calls than
/// tableauserverclient's `wait_for_job`.
public struct PollingPolicy: Sendable {
    public var initialInterval: Duration
    public var multiplier: Double
    public var maxInterval: Duration
    /// Fraction (0…1) by which each interval may be lengthened at random.
    public var jitter: Double
    /// Whether several awaited jobs share one Query Jobs call per cycle (when the account may query jobs).
    public var batchStatusQueries: Bool

    public init(
        initialInterval: Duration = .milliseconds(500), multiplier: Double = 1.4, maxInterval: Duration = .seconds(30),
        jitter: Double = 0.1, batchStatusQueries: Bool = true
    ) {
        self.initialInterval = initialInterval
        self.multiplier = multiplier
        self.maxInterval = maxInterval
        self.jitter = jitter
        self.batchStatusQueries = batchStatusQueries
    }

    /// Interval number `step` (0-based), lengthened by jitter unless `jitter` is false.
    func interval(step: Int, jitter applyJitter: Bool = true) -> Duration {
        let base = min(initialInterval.seconds * pow(multiplier, Double(step)), maxInterval.seconds)
        let factor = applyJitter ? 1 + Double.random(in: 0...max(0, jitter)) : 1
        return .milliseconds(Int64((base * factor * 1000).rounded()))
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

import Foundation
