import Logging
import TableauClient
import TableauEmulator

/// Builds client configurations for the emulator's demo seed.
enum TestConfiguration {
    static let adminPAT = Credentials.personalAccessToken(name: "freshet-admin", secret: "demo-admin-pat-secret")
    static let analystPAT = Credentials.personalAccessToken(name: "freshet-analyst", secret: "demo-analyst-pat-secret")

    static func make(
        _ emulator: RunningEmulator, credentials: Credentials = adminPAT, site: String = "", retry: RetryPolicy = RetryPolicy(),
        polling: PollingPolicy = PollingPolicy(), logger: Logger? = nil
    ) throws -> TableauConfiguration {
        var configuration = TableauConfiguration(
            server: try ServerAddress(emulator.baseURL), siteContentUrl: site, credentials: credentials, retry: retry, polling: polling
        )
        if let logger { configuration.logger = logger }
        return configuration
    }

    /// The demo seed with every job made quick (so real-time tests stay short).
    static func demoSeed() throws -> Seed {
        try DemoSeed.seed()
    }
}
