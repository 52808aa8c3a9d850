import Foundation
import Synchronization
import Testing
import TableauClient
import TableauEmulator

/// Credentials read at sign-in from a source, read again after Tableau refuses them (issue 20).
@Suite struct CredentialSourceTests {
    /// Hands out the secret it holds; records whether each read asked for a fresh value.
    final class Vault: CredentialSource {
        let state = Mutex((secret: "demo-admin-pat-secret", cached: "demo-admin-pat-secret", reads: [Bool]()))
        func rotate(to secret: String) { state.withLock { $0.secret = secret } }
        var reads: [Bool] { state.withLock { $0.reads } }

        func credentials(refresh: Bool) async throws -> Credentials {
            let secret = state.withLock { state in
                state.reads.append(refresh)
                if refresh { state.cached = state.secret }
                return state.cached
            }
            return .personalAccessToken(name: "freshet-admin", secret: secret)
        }
    }

    struct Unreadable: CredentialSource, Error, CustomStringConvertible {
        var description: String { "Cannot read the secret from file:/run/secrets/pat: the file does not exist" }
        func credentials(refresh: Bool) async throws -> Credentials { throw self }
    }

    func client(_ emulator: RunningEmulator, _ source: any CredentialSource) throws -> TableauClient {
        var configuration = try TestConfiguration.make(emulator, credentials: .personalAccessToken(name: "freshet-admin", secret: ""))
        configuration.credentialSource = source
        return TableauClient(configuration: configuration)
    }

    @Test func aSecretRotatedWhileSignedInIsReadAgainAfterThe401() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let vault = Vault()
            let client = try client(emulator, vault)
            _ = try await client.currentSession()
            vault.rotate(to: "rotated-secret")
            emulator.state.rotatePersonalAccessToken(named: "freshet-admin", secret: "rotated-secret")
            #expect(try await client.currentSession().userName == "admin@example.com")
            #expect(vault.reads == [false, true])
            #expect(await client.signInCount() == 2 && emulator.state.successfulSignIns() == 2)
        }
    }

    @Test func aSignInRefusedWithASecretFromMemoryIsTriedOnceMoreWithAFreshRead() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let vault = Vault()
            let client = try client(emulator, vault)
            _ = try await client.session()
            vault.rotate(to: "rotated-secret")
            emulator.state.rotatePersonalAccessToken(named: "freshet-admin", secret: "rotated-secret")
            // A keep-alive sign-in: the live session is dropped without a 401, the secret in memory is stale.
            _ = try await client.signInAnew()
            #expect(vault.reads == [false, false, true])
            #expect(emulator.state.successfulSignIns() == 2)
            // A secret that is wrong even when read anew fails after that one retry.
            vault.rotate(to: "still-wrong")
            emulator.state.rotatePersonalAccessToken(named: "freshet-admin", secret: "another-secret")
            await #expect { try await client.currentSession() } throws: { ($0 as? TableauError)?.status == 401 }
        }
    }

    @Test func anUnreadableSourceFailsBeforeTableauIsAsked() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed()) { emulator in
            let client = try client(emulator, Unreadable())
            await #expect { try await client.session() } throws: { error in
                guard let error = error as? TableauError else { return false }
                return error.kind == .credentialsUnavailable && !error.isTransient
                    && error.description == "Cannot read the secret from file:/run/secrets/pat: the file does not exist"
            }
            #expect(!emulator.state.recordedRequests().contains { $0.path.hasSuffix("/auth/signin") })
        }
    }

    @Test func estimatedTimeToExpirationIsReadAsDaysHoursMinutes() async throws {
        let long: TimeInterval = 177 * 86_400 + 5 * 3_600 + 38 * 60
        let short: TimeInterval = 2 * 86_400 + 12 * 3_600 + 30 * 60
        #expect(TableauSession.seconds(ofEstimatedTimeToExpiration: "177:05:38") == long)
        #expect(TableauSession.seconds(ofEstimatedTimeToExpiration: "2:12:30") == short)
        for bad in ["", "12:30", "1:24:00", "1:00:60", "a:b:c", "-1:00:00"] {
            #expect(TableauSession.seconds(ofEstimatedTimeToExpiration: bad) == nil)
        }
        var seed = try TestConfiguration.demoSeed()
        seed.personalAccessTokens?[0].expiresInDays = 30
        try await withEmulator(seed: seed) { emulator in
            let session = try await TableauClient(configuration: try TestConfiguration.make(emulator)).session()
            let left = try #require(session.credentialExpiresIn)
            #expect(left > 29 * 86_400 && left <= 30 * 86_400)
        }
    }
}
