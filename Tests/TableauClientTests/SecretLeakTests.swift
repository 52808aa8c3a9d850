import Testing
import TableauClient
import TableauEmulator

/// Secrets (PAT secret, JWT, passwords, session tokens) never reach a log line at any level,
/// an error description or a debug print.
@Suite struct SecretLeakTests {
    @Test func aFullScenarioLogsNoSecret() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let capture = LogCapture()
            let client = TableauClient(configuration: try TestConfiguration.make(emulator, logger: capture.logger))
            let app = Credentials.ConnectedApp(
                clientId: "demo-connected-app", secretId: "demo-secret-id", secretValue: "demo-connected-app-secret-value-0123456789",
                username: "admin@example.com"
            )
            let appClient = TableauClient(configuration: try TestConfiguration.make(emulator, credentials: .connectedApp(app), logger: capture.logger))
            let password = TableauClient(
                configuration: try TestConfiguration.make(emulator, credentials: .password(username: "admin@example.com", password: "demo-password"), logger: capture.logger)
            )
            var tokens: [String] = []
            tokens.append(try await client.session().token)
            tokens.append(try await appClient.session().token)
            tokens.append(try await password.session().token)
            let sales = try #require(try await client.items(.datasource, named: "Sales").first)
            _ = try await client.refresh(.datasource, id: sales.id)
            _ = try? await client.refresh(.datasource, id: sales.id)
            emulator.state.revokeSessions(patName: "freshet-admin")
            _ = try await client.currentSession()
            tokens.append(try await client.session().token)
            let wrong = TableauClient(
                configuration: try TestConfiguration.make(emulator, credentials: .personalAccessToken(name: "freshet-admin", secret: "wrong-secret-123"), logger: capture.logger)
            )
            let error = try await #require(throws: TableauError.self) { try await wrong.session() }
            try await client.signOut()

            let secrets = ["demo-admin-pat-secret", "demo-connected-app-secret-value-0123456789", "demo-password", "wrong-secret-123", "eyJ"] + tokens
            let lines = capture.all
            #expect(lines.count > 10)
            for secret in secrets {
                #expect(!lines.contains { $0.contains(secret) }, "a log line contains a secret")
            }
            let printed = [
                "\(error)", String(reflecting: error), "\(TestConfiguration.adminPAT)", "\(Credentials.connectedApp(app))",
                "\(try await appClient.session())", String(reflecting: try await client.session()),
                String(reflecting: TestConfiguration.adminPAT), String(reflecting: app),
                String(reflecting: try TestConfiguration.make(emulator)),
            ]
            for text in printed {
                for secret in secrets { #expect(!text.contains(secret), "a description contains a secret") }
            }
        }
    }
}
