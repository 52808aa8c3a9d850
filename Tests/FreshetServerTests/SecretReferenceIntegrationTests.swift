import Foundation
import Freshet
import FreshetServer
import TableauEmulator
import Testing

/// Secrets read from references at sign-in, against the emulator (issue 20).
@Suite struct SecretReferenceIntegrationTests {
    /// A scratch folder for secret files and helper scripts; removed by `remove()`.
    struct Scratch {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-secrets-\(UUID().uuidString)")

        init() throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        /// Writes `text` to `name` (mode 0600) and returns its path.
        @discardableResult
        func file(_ name: String, _ text: String, executable: Bool = false) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: executable ? 0o700 : 0o600], ofItemAtPath: url.path)
            return url.path
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// A runtime on `data` whose `env:` references and helpers see `environment`.
    func runtime(_ data: DemoDataDirectory, _ environment: [String: String] = [:], logger: CapturingLogHandler.Lines? = nil) throws -> FreshetRuntime {
        let env = environment.merging(["FRESHET_MASTER_KEY": data.key]) { a, _ in a }
        if let logger { return try FreshetRuntime(dataDirectory: data.directory, environment: env, logger: CapturingLogHandler.logger(logger)) }
        return try FreshetRuntime(dataDirectory: data.directory, environment: env)
    }

    func addDemo(_ runtime: FreshetRuntime, _ emulator: RunningEmulator, reference: String) async throws {
        _ = try await runtime.connections.add(
            ConnectionDraft(name: "demo", serverURL: emulator.baseURL, patName: "freshet-admin", patSecretRef: reference), actor: "test")
    }

    func signInRequests(_ emulator: RunningEmulator) -> [RecordedRequest] {
        emulator.state.recordedRequests().filter { $0.path.lowercased().hasSuffix("/auth/signin") }
    }

    @Test func aFileSecretRotatedInPlaceIsPickedUpAfterThe401WithOneMoreSignIn() async throws {
        let data = DemoDataDirectory()
        let scratch = try Scratch()
        defer { data.remove(); scratch.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            let path = try scratch.file("tableau-pat", "demo-admin-pat-secret\n")
            let runtime = try runtime(data)
            try await addDemo(runtime, emulator, reference: "file:\(path)")
            let shown = try await runtime.connections.show(named: "demo")
            #expect(shown.secretRef == "file:\(path)" && shown.secretMasked.isEmpty)
            let engine = runtime.refreshEngine(configuration: RefreshSeed.configuration)
            func refresh() async throws -> Run {
                let submission = try await engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Quick")]), actor: "test")
                return try #require(try await engine.wait(for: submission.runs.map(\.run.id), limit: .seconds(30)).first)
            }
            #expect(try await refresh().state == .succeeded)
            #expect(signInRequests(emulator).count == 1)

            // The operator (or Kubernetes) rewrites the mounted file as Tableau's PAT changes.
            try scratch.file("tableau-pat", "rotated-pat-secret-2\n")
            #expect(emulator.state.rotatePersonalAccessToken(named: "freshet-admin", secret: "rotated-pat-secret-2"))

            let run = try await refresh()
            await engine.shutdown()
            #expect(run.state == .succeeded && run.attempts.count == 1)
            let signIns = signInRequests(emulator)
            #expect(signIns.count == 2, "exactly one more sign-in, and it succeeded")
            #expect(signIns.allSatisfy { $0.status == 200 })
            #expect(emulator.state.recordedRequests().filter { $0.status == 401 }.count == 1)
            #expect(try await runtime.store.events(AuditQuery(action: "run.finished")).allSatisfy { $0.outcome == "success" })
        }
    }

    @Test func aHangingHelperTimesOutWithAClearCheckFailure() async throws {
        let data = DemoDataDirectory()
        let scratch = try Scratch()
        defer { data.remove(); scratch.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let helper = try scratch.file("hang.sh", "#!/bin/sh\nexec sleep 120\n", executable: true)
            let runtime = try runtime(data, [FreshetRuntime.helperTimeoutVariable: "1"])
            try await addDemo(runtime, emulator, reference: "exec:\(helper) kv get tableau")
            let started = ContinuousClock.now
            let results = try await runtime.check("demo", actor: "test")
            #expect(ContinuousClock.now - started < .seconds(30), "stopped at its timeout, not after the helper's 120 s")
            #expect(!results[0].passed)
            #expect(results[0].message.hasPrefix("Unable to read the connection's secret from its reference, so Tableau was not contacted"))
            #expect(results[0].tableauError?.contains("did not finish within 1 s and was stopped") == true)
            #expect(results[0].tableauError?.contains("exec:\(helper) kv get tableau") == true)
            #expect(results.allSatisfy { !$0.passed })
            #expect(results.dropFirst().allSatisfy { $0.message.hasPrefix("Not checked: the connection's secret could not be read") })
            #expect(signInRequests(emulator).isEmpty, "Tableau was not asked")
        }
    }

    @Test func aHelpersStandardErrorNeverReachesLogsChecksOrTheAuditLog() async throws {
        let data = DemoDataDirectory()
        let scratch = try Scratch()
        defer { data.remove(); scratch.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let marker = "STDERR-MARKER-7f3a"
            let failing = try scratch.file("fail.sh", "#!/bin/sh\necho '\(marker) token=hunter2' >&2\nexit 3\n", executable: true)
            let working = try scratch.file("ok.sh", "#!/bin/sh\necho '\(marker) fetching' >&2\necho demo-admin-pat-secret\n", executable: true)
            let lines = CapturingLogHandler.Lines()
            let runtime = try runtime(data, logger: lines)
            try await addDemo(runtime, emulator, reference: "exec:\(failing)")
            let failed = try await runtime.check("demo", actor: "test")
            #expect(!failed[0].passed && failed[0].tableauError?.contains("exited with status 3") == true)
            _ = try await runtime.connections.edit(named: "demo", with: ConnectionDraft(name: "demo", patSecretRef: "exec:\(working)"), actor: "test")
            let passed = try await runtime.check("demo", actor: "test")
            #expect(passed[0].passed)
            let audit = try await runtime.store.events(AuditQuery(limit: 500))
            let everything = lines.all + (failed + passed).map { "\($0)" } + audit.map { "\($0)" }
            #expect(!everything.isEmpty)
            #expect(!everything.contains { $0.contains(marker) || $0.contains("hunter2") })
            #expect(!everything.contains { $0.contains("demo-admin-pat-secret") })
        }
    }

    @Test func expiryFiguresFromTheSignInAnswerShowInTheCheckTheMetricAndTheAudit() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        var seed = try DemoSeed.seed()
        seed.personalAccessTokens?[0].expiresInDays = 10
        try await withEmulator(seed: seed) { emulator in
            let runtime = try runtime(data, ["TABLEAU_PAT": "demo-admin-pat-secret"])
            try await addDemo(runtime, emulator, reference: "env:TABLEAU_PAT")
            let metrics = PrometheusMetrics()
            let results = try await runtime.check("demo", actor: "test", metrics: metrics.engine)
            let lifetime = try #require(results.last)
            #expect(lifetime.check == .tokenLifetime && lifetime.passed && lifetime.warning)
            #expect(lifetime.message.contains("9 days left") && lifetime.message.contains("below the 14-day warning threshold"))
            let gauge = try #require(Self.gauge(metrics.render(), connection: "demo"))
            #expect((9 * 86_400.0...10 * 86_400.0).contains(gauge))
            let view = try await runtime.connections.show(named: "demo")
            #expect(view.tokenExpiresAt.map { abs($0.timeIntervalSinceNow - gauge) < 120 } == true)

            // /metrics recomputes the gauge from the stored expiry.
            let fresh = PrometheusMetrics()
            await FreshetAPI(runtime: runtime, metrics: fresh).updateTokenExpiry()
            #expect(Self.gauge(fresh.render(), connection: "demo").map { abs($0 - gauge) < 120 } == true)

            // The threshold crossing is audited once, not at every sign-in.
            emulator.state.revokeSessions()
            _ = try await runtime.check("demo", actor: "test")
            let warnings = try await runtime.store.events(AuditQuery(action: "tableau.token.expiring"))
            #expect(warnings.count == 1 && warnings.first?.details["daysLeft"] == "9" && warnings.first?.details["thresholdDays"] == "14")
            #expect(try await runtime.store.events(AuditQuery(action: "tableau.signin")).count == 2)
        }
    }

    @Test func aTokenFarFromExpiryPassesWithoutWarning() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        var seed = try DemoSeed.seed()
        seed.personalAccessTokens?[0].expiresInDays = 90
        try await withEmulator(seed: seed) { emulator in
            let runtime = try runtime(data, ["TABLEAU_PAT": "demo-admin-pat-secret"])
            try await addDemo(runtime, emulator, reference: "env:TABLEAU_PAT")
            let lifetime = try #require(try await runtime.check("demo", actor: "test").last)
            #expect(lifetime.passed && !lifetime.warning && lifetime.message.hasPrefix("Token lifetime OK: 89 days left"))
            #expect(try await runtime.store.events(AuditQuery(action: "tableau.token.expiring")).isEmpty)
        }
    }

    @Test func keepAliveSignsInOnAManualClock() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let clock = ManualClock()
            let runtime = try FreshetRuntime(dataDirectory: data.directory, environment: ["FRESHET_MASTER_KEY": data.key], clock: clock)
            _ = try await runtime.connections.add(
                ConnectionDraft(name: "idle", serverURL: emulator.baseURL, patName: "freshet-admin", patSecret: "demo-admin-pat-secret", keepAliveDays: 7),
                actor: "test")
            _ = try await runtime.connections.add(
                ConnectionDraft(name: "off", serverURL: emulator.baseURL, patName: "freshet-analyst", patSecret: "demo-analyst-pat-secret"), actor: "test")
            let keepAlive = TokenKeepAlive(runtime: runtime, logger: CapturingLogHandler.logger(.init()))
            #expect(await keepAlive.tick() == ["idle"], "never signed in: due at once")
            #expect(await keepAlive.tick().isEmpty)
            clock.advance(days: 6.99)
            #expect(await keepAlive.tick().isEmpty)
            clock.advance(days: 0.01)
            let renewed = await keepAlive.tick()
            let trail = try await runtime.store.events(AuditQuery(action: "tableau."))
            #expect(renewed == ["idle"], "\(trail)")
            #expect(emulator.state.successfulSignIns() == 2)
            let events = try await runtime.store.events(AuditQuery(action: "tableau.keepalive"))
            #expect(events.count == 2 && events.allSatisfy { $0.outcome == "success" && $0.target == "idle" && $0.actor == "keep-alive" })
            #expect(events.first?.details["idleDays"] == "7")
            let lifetime = try #require(try await runtime.store.credentialLifetime(connectionId: try await runtime.connections.show(named: "idle").id))
            #expect(abs(lifetime.lastUsedAt.timeIntervalSince(clock.now())) < 0.01)

            // The service runs the same passes on the same clock: at once, then every interval.
            let (passes, report) = AsyncStream<[String]>.makeStream()
            let service = TokenKeepAlive(runtime: runtime, initialDelay: .zero, logger: CapturingLogHandler.logger(.init()), onPass: { report.yield($0) })
            clock.advance(days: 7)
            let running = Task { try await service.run() }
            var iterator = passes.makeAsyncIterator()
            var sleeping = clock.sleepers.makeAsyncIterator()
            #expect(await iterator.next() == ["idle"])
            _ = await sleeping.next()  // the service waits for its next pass
            clock.advance(days: 1)
            #expect(await iterator.next() == [])
            running.cancel()
            #expect(emulator.state.successfulSignIns() == 3)
        }
    }

    /// The value of `freshet_tableau_token_expiry_seconds{connection="NAME"}` in a rendering.
    static func gauge(_ text: String, connection: String) -> Double? {
        let prefix = "freshet_tableau_token_expiry_seconds{connection=\"\(connection)\"} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }
}
