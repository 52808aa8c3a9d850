import Testing
import TableauClient
import TableauEmulator

/// Tableau's one-session-per-PAT rule: the client must never fight it.
@Suite struct SessionTests {
    @Test func fiftyConcurrentCallsWithOnePATSignInOnceAndNeverSee401() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        if index % 2 == 0 { return try await client.projects().collect().count }
                        return try await client.currentSession().userName.count
                    }
                }
                for try await count in group { #expect(count > 0) }
            }
            let log = emulator.state.recordedRequests()
            #expect(log.filter { $0.path.hasSuffix("/auth/signin") }.count == 1)
            #expect(log.filter { $0.status == 401 }.isEmpty)
            #expect(log.count >= 51)
            #expect(await client.signInCount() == 1)
        }
    }

    @Test func aTokenRevokedMidRunIsRecoveredWithExactlyOneNewSignIn() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            _ = try await client.currentSession()
            #expect(emulator.state.revokeSessions(patName: "freshet-admin") == 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await client.currentSession() } }
                try await group.waitForAll()
            }
            #expect(emulator.state.successfulSignIns() == 2)
            #expect(await client.signInCount() == 2)
        }
    }

    @Test func sessionsRevokedAsFastAsTheyAreMadeFailTransientlyAfterThree() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            _ = try await client.currentSession()
            // Every authenticated request now revokes the session it used.
            emulator.state.setFaults(FaultSettings(revokeSessionEvery: 1))
            do {
                _ = try await client.projects().collect()
                Issue.record("a request on sessions that are always revoked succeeded")
            } catch let error as TableauError {
                #expect(error.kind == .sessionsRefused)
                #expect(error.isTransient, "Tableau did not act on the request: trying again later may succeed")
                #expect(!error.isSessionInvalid)
                #expect(error.description.contains("three new sessions in a row"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
            #expect(await client.signInCount() == 3)
        }
    }

    @Test func twoClientsOnOnePATEndEachOthersSessionsButRecover() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let first = TableauClient(configuration: try TestConfiguration.make(emulator))
            let second = TableauClient(configuration: try TestConfiguration.make(emulator))
            let firstToken = try await first.session().token
            _ = try await second.session()
            // Tableau ended the first client's session when the second signed in.
            #expect(try await rawStatus(emulator, path: "/api/3.24/sessions/current", token: firstToken) == 401)
            // The first client notices the 401 and signs in again once.
            #expect(try await first.currentSession().userName == "admin@example.com")
            #expect(await first.signInCount() == 2)
        }
    }

    @Test func wrongPATSecretFailsWithTableausError() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = TableauClient(
                configuration: try TestConfiguration.make(emulator, credentials: .personalAccessToken(name: "freshet-admin", secret: "wrong"))
            )
            let error = try await #require(throws: TableauError.self) { try await client.session() }
            #expect(error.description == "Tableau sign-in failed (HTTP 401, Signin Error): Error signing in to Tableau Server")
        }
    }

    @Test func unreachableEmulatorPortIsReported() async throws {
        let client = TableauClient(
            configuration: TableauConfiguration(
                server: try ServerAddress("http://127.0.0.1:1"), credentials: TestConfiguration.adminPAT, retry: .none
            )
        )
        let error = try await #require(throws: TableauError.self) { try await client.session() }
        #expect(error.description.hasPrefix("could not reach Tableau at 127.0.0.1:1"))
    }
}
