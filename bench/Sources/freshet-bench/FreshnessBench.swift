import ArgumentParser
import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TableauClient

/// `freshet-bench freshness`: what issue 17 asks to measure.
///
/// 1. `/metrics` with `--items` tracked items (default 10,000): scrape time and size, over real
///    HTTP, beside the same scrape with no item tracked (the baseline, same run).
/// 2. From a failed refresh to the data quality warning visible through Tableau's REST API, and
///    to the alert received by a local webhook receiver — with `freshet serve`'s services
///    (``QualityWarningService``, ``AlertDispatchService`` with their defaults), `--rounds`
///    times, first polling only (the baseline: warnings every second, outbox every 250 ms),
///    then woken by the engine's changes as `freshet serve` runs them. Measured from two origins: the job's failure at Tableau (the emulator's
///    `completedAtMs`, so Freshet's noticing it counts) and the run's end as Freshet stored it.
///
/// Output: one JSON object per line (`{"event":"scrape",…}`, `{"event":"failure",…}`), then a
/// `{"event":"summary",…}` line.
struct FreshnessBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshness", abstract: "Measure /metrics with many tracked items, and failure → warning / alert latency.")

    @Option(help: "Emulator URL, e.g. http://127.0.0.1:8800.") var emulator: String
    @Option(help: "Personal access token name.") var patName: String
    @Option(help: "Personal access token secret.") var patSecret: String
    @Option(help: "A data source whose refresh fails.") var failing: String = "Broken"
    @Option(help: "Items tracked for the scrape measurement.") var items = 10_000
    @Option(help: "Scrapes per measurement.") var scrapes = 20
    @Option(help: "Failures measured.") var rounds = 5

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runtime = try FreshetRuntime(dataDirectory: directory, environment: ["FRESHET_MASTER_KEY": MasterKey.generate().base64])
        _ = try await runtime.connections.add(
            ConnectionDraft(name: "bench", serverURL: emulator, siteContentUrl: "", patName: patName, patSecret: patSecret), actor: "bench")
        let metrics = PrometheusMetrics()
        let api = FreshetAPI(runtime: runtime, metrics: metrics)
        let server = FreshetHTTPServer(api: api)
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        var summary: [String: Any] = ["event": "summary", "items": items]

        let (apiPorts, apiPort) = AsyncStream<Int>.makeStream()
        let scrapeFigures = try await Self.serve(server.application(host: "127.0.0.1", port: 0, onRunning: { apiPort.yield($0) }), ports: apiPorts) { port in
            let baseline = try await Self.scrape(port: port, times: scrapes, label: "baseline (0 items)")
            try await Self.track(items, runtime: runtime)
            let loaded = try await Self.scrape(port: port, times: scrapes, label: "\(items) items")
            return [
                "scrapeBaselineMedianMs": baseline.median, "scrapeMedianMs": loaded.median, "scrapeP95Ms": loaded.p95, "scrapeBytes": Double(loaded.bytes),
                "scrapeBaselineBytes": Double(baseline.bytes),
            ]
        }
        for (key, value) in scrapeFigures { summary[key] = value }
        // Failure → warning / alert.
        let receiver = Receiver()
        let (receiverPorts, receiverPort) = AsyncStream<Int>.makeStream()
        let latencyFigures = try await Self.serve(receiver.application { receiverPort.yield($0) }, ports: receiverPorts) { port in
            _ = try await api.alertRoutes.add(
                AlertRouteDraft(name: "bench", format: .webhook, url: "http://127.0.0.1:\(port)/hook", secret: "bench-secret-0123456789"), actor: "bench")
            guard let connection = try await runtime.store.connection(named: "bench")?.connection else { throw ExitCode(1) }
            try await runtime.store.setWarnings(connectionId: connection.id, enabled: true, actor: "bench", now: Date())
            let tableau = try await runtime.client(for: "bench")
            guard let source = try await tableau.items(.datasource, named: failing).first else { throw ValidationError("No data source \(failing)") }
            var figures: [String: Double] = [:]
            // The baseline first (services polling: warnings every second, outbox every 250 ms),
            // then the services as `freshet serve` runs them (woken by the engine's changes).
            for (mode, follow) in [("polling", false), ("wakeup", true)] {
                let warnings = QualityWarningService(api: api, environment: [:], followChanges: follow, logger: logger)
                let alerts = AlertDispatchService(api: api, environment: [:], followChanges: follow, logger: logger)
                let tasks = [Task { try await warnings.run() }, Task { try await alerts.run() }]
                var warningLatencies: [Double] = []
                var alertLatencies: [Double] = []
                var noticedLatencies: [Double] = []
                for round in 1...rounds {
                    let submission = try await api.engine.submit(RefreshRequest(connection: "bench", targets: [.datasource(failing)]), actor: "bench")
                    let runs = try await api.engine.wait(for: submission.runs.map(\.run.id), limit: .seconds(120))
                    guard let ended = runs.first else { throw ExitCode(1) }
                    let endedAt = ended.updatedAt
                    let failedAt = try await Self.jobCompletion(ended.jobId, emulator: emulator) ?? endedAt
                    // Warning visible through Tableau's REST API (polled every 20 ms).
                    var warnedAt: Date?
                    while warnedAt == nil, Date().timeIntervalSince(endedAt) < 30 {
                        if try await tableau.qualityWarnings(contentId: source.id).contains(where: { $0.message.hasPrefix("Stale data:") }) { warnedAt = Date() }
                        else { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    let alertedAt = await receiver.arrival(of: "run.\(ended.id)", within: 30)
                    let warning = warnedAt.map { $0.timeIntervalSince(failedAt) * 1000 }
                    let alert = alertedAt.map { $0.timeIntervalSince(failedAt) * 1000 }
                    let noticed = endedAt.timeIntervalSince(failedAt) * 1000
                    if let warning { warningLatencies.append(warning) }
                    if let alert { alertLatencies.append(alert) }
                    noticedLatencies.append(noticed)
                    ClientBench.printJSON([
                        "event": "failure", "mode": mode, "round": round, "state": ended.state.rawValue, "warningMs": warning ?? -1, "alertMs": alert ?? -1,
                        "runEndedMs": noticed,
                    ])
                    // Before the next round: a success (recorded as the engine would) makes Freshet remove its warning.
                    let item = RunItem(contentType: .datasource, tableauId: source.id, name: source.name)
                    let success = Run(connectionId: connection.id, target: "bench", item: item, actor: "bench", createdAt: Date())
                    _ = try await runtime.store.create(success, joiningActive: false)
                    var succeeded = success
                    succeeded.state = .succeeded
                    _ = try await runtime.store.transition(succeeded, expectedVersion: 0, now: Date())
                    await api.engine.wakeFollowers()
                    let clearing = Date()
                    while try await tableau.qualityWarnings(contentId: source.id).contains(where: { $0.message.hasPrefix("Stale data:") }),
                        Date().timeIntervalSince(clearing) < 30
                    {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                for task in tasks {
                    task.cancel()
                    _ = await task.result
                }
                for (key, value) in [
                    "rounds": Double(self.rounds), "warningMedianMs": Self.percentile(warningLatencies, 0.5), "warningMaxMs": warningLatencies.max() ?? -1,
                    "alertMedianMs": Self.percentile(alertLatencies, 0.5), "alertMaxMs": alertLatencies.max() ?? -1,
                    "warningsSeen": Double(warningLatencies.count), "alertsSeen": Double(alertLatencies.count),
                    "runEndedMedianMs": Self.percentile(noticedLatencies, 0.5), "runEndedMaxMs": noticedLatencies.max() ?? -1,
                ] {
                    figures["\(mode).\(key)"] = value
                }
            }
            return figures
        }
        for (key, value) in latencyFigures { summary[key] = value }
        await api.engine.shutdown()
        ClientBench.printJSON(summary)
    }

    /// When Tableau's job `jobId` completed (the emulator's `GET /_emulator/jobs`), or nil.
    static func jobCompletion(_ jobId: String?, emulator: String) async throws -> Date? {
        guard let jobId else { return nil }
        let response = try await AsyncHTTPClientTransport().send(TransportRequest(method: "GET", url: emulator + "/_emulator/jobs"), timeout: .seconds(30))
        let jobs = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [[String: Any]] ?? []
        guard let milliseconds = (jobs.first { $0["id"] as? String == jobId }?["completedAtMs"] as? NSNumber)?.doubleValue else { return nil }
        return Date(timeIntervalSince1970: milliseconds / 1000)
    }

    /// Ends one run per synthetic item (one in seven failed) on a connection id of their own (so
    /// the warning pass of the latency measurement does not see them).
    static func track(_ count: Int, runtime: FreshetRuntime) async throws {
        let now = Date()
        for index in 0..<count {
            let item = RunItem(contentType: index % 5 == 0 ? .workbook : .datasource, tableauId: "synthetic-\(index)", name: "Item \(index)")
            let run = Run(connectionId: "synthetic", target: "bench", item: item, projectName: "Project \(index % 40)", actor: "bench", createdAt: now)
            _ = try await runtime.store.create(run, joiningActive: false)
            var ended = run
            ended.state = index % 7 == 0 ? .failed : .succeeded
            ended.notes = ended.state == .failed ? "synthetic failure" : nil
            _ = try await runtime.store.transition(ended, expectedVersion: 0, now: now.addingTimeInterval(-Double(index)))
        }
    }

    struct Scrapes {
        var median: Double
        var p95: Double
        var bytes: Int
    }

    static func scrape(port: Int, times: Int, label: String) async throws -> Scrapes {
        var durations: [Double] = []
        var bytes = 0
        for _ in 0..<times {
            let started = DispatchTime.now().uptimeNanoseconds
            let response = try await AsyncHTTPClientTransport().send(TransportRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(60))
            durations.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            guard response.status == 200 else { throw ValidationError("GET /metrics answered \(response.status)") }
            bytes = response.body.count
        }
        let result = Scrapes(median: percentile(durations, 0.5), p95: percentile(durations, 0.95), bytes: bytes)
        ClientBench.printJSON(["event": "scrape", "label": label, "medianMs": result.median, "p95Ms": result.p95, "bytes": bytes, "scrapes": times])
        return result
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return -1 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    /// Runs `app` while `body` runs with the port it bound (from `ports`).
    static func serve(
        _ app: some ApplicationProtocol, ports: AsyncStream<Int>, _ body: @Sendable (Int) async throws -> [String: Double]
    ) async throws -> [String: Double] {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ExitCode(1) }
            defer { group.cancelAll() }
            return try await body(port)
        }
    }
}

/// A webhook receiver on 127.0.0.1 that notes when each event id first arrived.
actor Receiver {
    private var arrivals: [String: Date] = [:]
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func record(_ eventId: String) {
        if arrivals[eventId] == nil { arrivals[eventId] = Date() }
        for waiter in waiters.removeValue(forKey: eventId) ?? [] { waiter.resume() }
    }

    /// When `eventId` arrived, waiting at most `seconds` for it.
    func arrival(of eventId: String, within seconds: Double) async -> Date? {
        if let date = arrivals[eventId] { return date }
        let timeout = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            await self?.giveUp(eventId)
        }
        await withCheckedContinuation { waiters[eventId, default: []].append($0) }
        timeout.cancel()
        return arrivals[eventId]
    }

    private func giveUp(_ eventId: String) {
        for waiter in waiters.removeValue(forKey: eventId) ?? [] { waiter.resume() }
    }

    nonisolated func application(onRunning: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            if let id = request.headers[HTTPField.Name("X-Freshet-Event-Id")!] { await self.record(id) }
            return .ok
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}
