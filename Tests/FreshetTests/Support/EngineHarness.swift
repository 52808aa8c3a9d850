import Foundation
import Freshet

/// One "process" of Freshet over a shared in-memory database and a scripted Tableau, on a
/// manual clock: tests crash it, start another one and count what Tableau saw.
struct EngineHarness {
    let database: InMemoryStore
    let tableau: ScriptedTableau
    let clock: ManualRunClock
    let connection: Connection

    static func make(items: Int = 3, jobSeconds: Double = 3) async throws -> EngineHarness {
        let clock = ManualRunClock()
        let database = InMemoryStore()
        let connection = Connection(
            id: "conn-1", name: "prod", server: try ServerURL(parsing: "tableau.example.com"), siteContentUrl: "",
            auth: .personalAccessToken(name: "freshet"))
        try await database.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:test:sealed"))
        let tableau = ScriptedTableau(clock: clock, items: ScriptedTableau.items(items), jobSeconds: jobSeconds)
        return EngineHarness(database: database, tableau: tableau, clock: clock, connection: connection)
    }

    /// A process: an engine over the shared database, whose run store crashes at its `crashAt`th call.
    func process(_ name: String, crashAt: Int? = nil, jobLimit: Int = 20, lease: Duration = .seconds(30)) -> (RefreshEngine, CrashingRunStore) {
        let store = CrashingRunStore(database, crashAt: crashAt)
        let tableau = tableau
        let configuration = RefreshEngineConfiguration(
            holder: name, leaseDuration: lease, watchInterval: .seconds(1), maxTableauJobsPerConnection: jobLimit, workers: 4,
            backoff: TriggerBackoff(maxRetries: 5, initial: 1, multiplier: 2, maximum: 8), jitter: 0)
        let engine = RefreshEngine(
            store: store, connections: database, audit: database, gateways: { _ in tableau }, configuration: configuration, clock: clock)
        return (engine, store)
    }

    /// A request for every scripted item by name.
    func request(items: Int = 3, key: String? = "pipeline-run-1") -> RefreshRequest {
        RefreshRequest(connection: "prod", targets: (1...items).map { .datasource("Item \($0)") }, idempotencyKey: key)
    }

    /// Moves the clock in half-second steps, letting the engines work between steps, until
    /// `done` holds or `limit` of manual time has passed. Returns whether `done` held.
    @discardableResult
    func advance(until done: () async throws -> Bool, limit: Duration = .seconds(600), engines: [RefreshEngine]) async rethrows -> Bool {
        var elapsed: Duration = .zero
        while elapsed <= limit {
            for _ in 0..<3 {
                for engine in engines { await engine.settle() }
                await Task.yield()
            }
            if try await done() { return true }
            clock.advance(by: .milliseconds(500))
            elapsed += .milliseconds(500)
        }
        return try await done()
    }

    /// Every run in the database.
    func runs() async -> [Run] { await database.runs(RunQuery(limit: 10_000)) }
}
