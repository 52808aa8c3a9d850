import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import Logging
import TableauClient
import TableauEmulator
import Testing

/// Tableau webhooks end to end: the registrar registers them on the emulator, the emulator
/// delivers on refresh completion to the server over a socket, and the delivery ends the run
/// with one job read and no poll before it.
@Suite struct WebhookEndToEndTests {
    private func withServer(
        _ body: @escaping @Sendable (RunningEmulator, FreshetAPI, WebhookRegistrar, Connection, Int) async throws -> Void
    ) async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let api = RunFixture.api(runtime)
            try await withSocketServer(FreshetHTTPServer(api: api)) { port in
                var reachable = api
                reachable.publicURL = "http://127.0.0.1:\(port)"
                let registrar = WebhookRegistrar(
                    api: reachable, publicURL: "http://127.0.0.1:\(port)/", logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                let connection = try #require(try await runtime.store.connection(named: "demo")).connection
                try await body(emulator, reachable, registrar, connection, port)
            }
            await api.engine.shutdown()
        }
    }

    private static func jobReads(_ emulator: RunningEmulator) -> Int {
        emulator.state.recordedRequests().filter { $0.method == "GET" && $0.path.contains("/jobs") }.count
    }

    @Test func aDeliveryEndsTheRunWithOneJobRead() async throws {
        try await withServer { emulator, api, registrar, connection, port in
            #expect(await registrar.reconcile(connection))
            let hooks = try await api.runtime.client(for: "demo").webhooks()
            #expect(Set(hooks.compactMap(\.event)) == ["DatasourceRefreshSucceeded", "DatasourceRefreshFailed", "WorkbookRefreshSucceeded", "WorkbookRefreshFailed"])
            #expect(hooks.allSatisfy { $0.url?.hasPrefix("http://127.0.0.1:\(port)/hooks/tableau/\(connection.id)/") == true })
            let submission = try await api.engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Quick")]), actor: "test")
            // Long enough for a loaded machine; a missed delivery would show as a poll, not a timeout (fallback polls are 30 s apart).
            let runs = try await api.engine.wait(for: submission.runs.map(\.run.id), limit: .seconds(25))
            #expect(runs.map(\.state) == [.succeeded])
            #expect(Self.jobReads(emulator) == 1)
            let deliveries = emulator.state.deliveredWebhooks()
            #expect(deliveries.contains { $0.eventType == "DatasourceRefreshSucceeded" && $0.status == 200 })
        }
    }

    @Test func webhooksAreKeptRegisteredAndRemovedWithTheConnection() async throws {
        try await withServer { _, api, registrar, connection, _ in
            #expect(await registrar.reconcile(connection))
            let client = try await api.runtime.client(for: "demo")
            let first = try await client.webhooks()
            #expect(first.count == 4)
            // Again: nothing changes. One deleted in Tableau: re-created.
            #expect(await registrar.reconcile(connection))
            #expect(Set(try await client.webhooks().map(\.id)) == Set(first.map(\.id)))
            try await client.deleteWebhook(id: first[0].id)
            #expect(await registrar.reconcile(connection))
            #expect(try await client.webhooks().count == 4)
            await WebhookRegistrar.removeWebhooks(ofConnectionNamed: "demo", api: api, logger: Logger(label: "test"))
            #expect(try await client.webhooks().isEmpty)
        }
    }

    @Test func aDeliveryWithAWrongSecretIsRefused() async throws {
        try await withServer { _, _, _, connection, port in
            let body = #"{"resource":"DATASOURCE","event_type":"DatasourceRefreshSucceeded","resource_luid":"x"}"#
            let wrong = try await socketCall(port: port, .post, "/hooks/tableau/\(connection.id)/not-the-secret", body: body)
            #expect(wrong.status == .notFound)
            let unknown = try await socketCall(port: port, .post, "/hooks/tableau/no-such-connection/abc", body: body)
            #expect(unknown.status == .notFound)
        }
    }
}
