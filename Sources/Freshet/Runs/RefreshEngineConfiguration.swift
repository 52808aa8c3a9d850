import Foundation

/// How a ``RefreshEngine`` drives runs.
public struct RefreshEngineConfiguration: Sendable {
    /// This process's name in run leases (unique per process: host, pid and a random part).
    public var holder: String
    /// How long a lease lasts unless renewed; another process takes over a run this long after
    /// its driver died. Renewed every third of it.
    public var leaseDuration: Duration
    /// How often a watcher re-reads runs that another process drives.
    public var watchInterval: Duration
    /// Refreshes in flight at once per connection, in this process.
    public var maxConcurrentRefreshesPerConnection: Int
    /// Retries of trigger calls that fail transiently (5xx, 429, network).
    public var backoff: TriggerBackoff
    /// Random spread added to retry delays, as a fraction (0.2: ±20%).
    public var jitter: Double

    /// A configuration; `holder` defaults to host, pid and a random suffix.
    public init(
        holder: String = RefreshEngineConfiguration.defaultHolder(), leaseDuration: Duration = .seconds(30),
        watchInterval: Duration = .seconds(1), maxConcurrentRefreshesPerConnection: Int = 20, backoff: TriggerBackoff = TriggerBackoff(),
        jitter: Double = 0.2
    ) {
        self.holder = holder
        self.leaseDuration = leaseDuration
        self.watchInterval = watchInterval
        self.maxConcurrentRefreshesPerConnection = max(1, maxConcurrentRefreshesPerConnection)
        self.backoff = backoff
        self.jitter = min(max(0, jitter), 1)
    }

    /// "host:pid:random".
    public static func defaultHolder() -> String {
        let info = ProcessInfo.processInfo
        return "\(info.hostName):\(info.processIdentifier):\(UUID().uuidString.prefix(8))"
    }
}
