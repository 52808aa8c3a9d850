import Foundation
import Freshet
import Testing

/// Tableau's limits as holds, not failures: a 429 naming a wait holds the whole site, a used-up
/// daily capacity holds it until 00:00 UTC, the hourly budget is never exceeded, and known
/// failures end runs with a named reason and a hint.
@Suite struct TableauLimitsTests {
    private static let tooMany = GatewayError(
        status: 429, message: "Tableau request failed (HTTP 429, Too Many Requests): Too many requests. Please retry after 2 minutes",
        isTransient: true, holdSeconds: 120)

    private func allEnded(_ harness: EngineHarness) async -> Bool { await harness.runs().allSatisfy(\.state.isTerminal) }

    /// "Please retry after 2 minutes": every run of the site waits (the held one shows until
    /// when), nothing calls Tableau for the site until then, and every run succeeds.
    @Test func a429NamingAWaitHoldsTheWholeSiteAndNoRunFails() async throws {
        let harness = try await EngineHarness.make(items: 5)
        harness.tableau.script([.refuse(Self.tooMany)])
        let (engine, _) = harness.process("p", jobLimit: 1)
        _ = try await engine.submit(harness.request(items: 5), actor: "pipeline")
        #expect(await harness.advance(until: { !harness.tableau.calls.isEmpty }, engines: [engine]))
        let refusedAt = try #require(harness.tableau.callTimes.first?.at)
        let held = await harness.runs().filter { $0.heldUntil != nil }
        #expect(held.count == 1)
        #expect(held.first?.heldUntil == refusedAt.addingTimeInterval(120))
        #expect(RunView(try #require(held.first)).heldUntil == refusedAt.addingTimeInterval(120))
        #expect(try await harness.database.siteHold(connectionId: harness.connection.id, now: refusedAt)?.until == refusedAt.addingTimeInterval(120))
        #expect(await harness.advance(until: { await allEnded(harness) }, engines: [engine]))
        #expect(harness.tableau.calls(between: refusedAt, and: refusedAt.addingTimeInterval(120)).isEmpty)
        let runs = await harness.runs()
        #expect(runs.allSatisfy { $0.state == .succeeded }, "\(runs.map(\.state))")
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1, 1, 1, 1, 1])
        await engine.shutdown()
    }

    /// A status check answered 429 with a wait holds the site's checks and starts alike.
    @Test func a429OnAStatusCheckHoldsTheSite() async throws {
        let harness = try await EngineHarness.make(items: 2, jobSeconds: 3)
        harness.tableau.script(checkFaults: [Self.tooMany])
        let (engine, _) = harness.process("p")
        _ = try await engine.submit(harness.request(items: 2), actor: "pipeline")
        #expect(await harness.advance(until: { harness.tableau.calls.contains { $0.hasPrefix("check") } }, engines: [engine]))
        let refusedAt = try #require(harness.tableau.callTimes.last { $0.call.hasPrefix("check") }?.at)
        #expect(await harness.advance(until: { await allEnded(harness) }, engines: [engine]))
        #expect(harness.tableau.calls(between: refusedAt, and: refusedAt.addingTimeInterval(120)).isEmpty)
        #expect(await harness.runs().allSatisfy { $0.state == .succeeded })
        await engine.shutdown()
    }

    /// A job Tableau cancelled because the site's daily capacity is used up holds the site until
    /// 00:00 UTC; then the run triggers again and succeeds.
    @Test func aUsedUpDailyCapacityHoldsUntilItResets() async throws {
        let harness = try await EngineHarness.make(items: 1)
        harness.tableau.script(outcomes: [.failed(notes: "No more non-interactive quota remaining for your site")])
        let (engine, _) = harness.process("p")
        _ = try await engine.submit(harness.request(items: 1), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().first?.heldUntil != nil }, engines: [engine]))
        let run = try #require(await harness.runs().first)
        let reset = SiteHold.nextQuotaReset(after: harness.clock.now())
        #expect(run.heldUntil == reset && run.state == .triggering)
        harness.clock.advance(by: .seconds(reset.timeIntervalSince(harness.clock.now()) - 1))
        #expect(await harness.advance(until: { await allEnded(harness) }, limit: .seconds(60), engines: [engine]))
        let ended = try #require(await harness.runs().first)
        #expect(ended.state == .succeeded && ended.attempts.count == 2)
        #expect(harness.tableau.jobsPerItem.values.sorted() == [2])
        await engine.shutdown()
    }

    /// The hourly budget of refresh starts and status checks holds under 1,000 runs, and every run succeeds.
    @Test func theHourlyBudgetHoldsUnderAThousandRuns() async throws {
        let harness = try await EngineHarness.make(items: 1000, jobSeconds: 3)
        let budget = TableauSiteBudget(refreshStartsPerHour: 400, statusChecksPerHour: 3)
        let configuration = RefreshEngineConfiguration(
            holder: "p", maxTableauJobsPerConnection: 1000, workers: 4,
            backoff: TriggerBackoff(maxRetries: 5, initial: 1, multiplier: 2, maximum: 8), jitter: 0, siteBudget: budget)
        let tableau = harness.tableau
        let engine = RefreshEngine(
            store: harness.database, connections: harness.database, audit: harness.database, gateways: { _ in tableau },
            configuration: configuration, clock: harness.clock)
        _ = try await engine.submit(harness.request(items: 1000, key: nil), actor: "pipeline")
        var done = false
        for _ in 0..<2000 where !done {
            for _ in 0..<3 {
                await engine.settle()
                await Task.yield()
            }
            done = await allEnded(harness)
            if !done { harness.clock.advance(by: .seconds(10)) }
        }
        #expect(done)
        #expect(await harness.runs().allSatisfy { $0.state == .succeeded })
        func most(_ prefix: String) -> Int {
            let times = harness.tableau.callTimes.filter { $0.call.hasPrefix(prefix) }.map(\.at)
            return times.indices.map { index in times[index...].prefix { $0.timeIntervalSince(times[index]) < 3600 }.count }.max() ?? 0
        }
        #expect(most("trigger") <= 400)
        #expect(most("check") <= 3)
        #expect(harness.tableau.jobsPerItem.count == 1000)
        await engine.shutdown()
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var fault: ScriptedTableau.TriggerFault?
        var notes: String
        var reason: TableauFailureReason
        var testDescription: String { reason.rawValue }
    }

    static let failures: [FailureCase] = [
        FailureCase(notes: "The query time resource limit (7200 seconds) was exceeded.", reason: .timeLimit),
        FailureCase(notes: "The extract refresh task for this data source is suspended.", reason: .suspended),
        FailureCase(notes: "The embedded credentials for the data source have expired. OAuth token refresh failed.", reason: .expiredCredentials),
        FailureCase(
            fault: .refuse(GatewayError(status: 409, code: "409090", message: "Extract operation for the data source is not allowed.")), notes: "",
            reason: .liveConnection),
        FailureCase(
            fault: .refuse(GatewayError(status: 403, code: "403004", message: "You do not have permission to refresh this data source.")),
            notes: "", reason: .permissionDenied),
    ]

    /// Each known failure ends its run failed with the reason named first, a hint, and Tableau's words.
    @Test(arguments: failures)
    func aKnownFailureIsNamedWithAHint(_ failure: FailureCase) async throws {
        let (fault, notes, reason) = (failure.fault, failure.notes, failure.reason)
        let harness = try await EngineHarness.make(items: 1)
        if let fault { harness.tableau.script([fault]) } else { harness.tableau.script(outcomes: [.failed(notes: notes)]) }
        let (engine, _) = harness.process("p")
        _ = try await engine.submit(harness.request(items: 1), actor: "pipeline")
        #expect(await harness.advance(until: { await allEnded(harness) }, engines: [engine]))
        let run = try #require(await harness.runs().first)
        #expect(run.state == .failed)
        #expect(run.notes?.hasPrefix(reason.title + ". " + reason.hint) == true, "\(run.notes ?? "")")
        #expect(RunView(run).failureReason == reason.rawValue)
        await engine.shutdown()
    }

    /// Recognising Tableau's words; unknown text stays as it was.
    @Test func reasonsAreRecognisedInTableausWords() {
        #expect(TableauFailureReason.recognise("com.tableausoftware.nativeapi.dll.TableauCancelException: Operation cancelled.") == .timeLimit)
        #expect(TableauFailureReason.recognise("x", status: 403, code: "403180") == .liveConnection)
        #expect(TableauFailureReason.recognise("No more non-interactive quota remaining for your site") == .quotaExhausted)
        #expect(TableauFailureReason.explain("Database is down") == "Database is down")
        #expect(SiteHold.nextQuotaReset(after: Date(timeIntervalSince1970: 86_400 * 3 + 5)) == Date(timeIntervalSince1970: 86_400 * 4))
    }
}
