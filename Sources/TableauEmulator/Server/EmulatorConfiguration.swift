public import Logging

/// How an emulator instance listens and behaves; seed values under `server` fill what is not set here.
public struct EmulatorConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// Highest REST API version served (default 3.24, or the seed's `server.maxApiVersion`).
    public var maxApiVersion: String?
    /// Session lifetime in minutes (default 240, or 120 in cloud mode).
    public var sessionMinutes: Double?
    /// The clock jobs and sessions run on.
    public var clock: EmulatorClock
    /// Most requests kept in the request log (oldest dropped first).
    public var requestLogLimit: Int
    /// Logger for the emulator's own events; silent by default.
    public var logger: Logger
    /// Whether a connected-app JWT may sign in again before it expires (nil: the seed's
    /// `server.jwtReuse`, else refused).
    public var allowJWTReuse: Bool?

    public init(
        host: String = "127.0.0.1", port: Int = 0, maxApiVersion: String? = nil, sessionMinutes: Double? = nil,
        clock: EmulatorClock = .system(), requestLogLimit: Int = 500_000,
        logger: Logger = Logger(label: "freshet.emulator", factory: { _ in SwiftLogNoOpLogHandler() }), allowJWTReuse: Bool? = nil
    ) {
        self.allowJWTReuse = allowJWTReuse
        self.host = host
        self.port = port
        self.maxApiVersion = maxApiVersion
        self.sessionMinutes = sessionMinutes
        self.clock = clock
        self.requestLogLimit = requestLogLimit
        self.logger = logger
    }
}
