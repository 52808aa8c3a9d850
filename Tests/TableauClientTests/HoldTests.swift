import Foundation
import TableauClient
import TableauEmulator
import Testing

/// A 429 that names a wait (Retry-After, or "retry after N minutes" in its text) is the caller's
/// to honour: the client reports how long and does not retry it itself.
@Suite struct HoldTests {
    @Test func waitsNamedInWordsAreRead() {
        #expect(TableauError.waitNamed(in: "Too many requests. Please retry after 29 minutes") == 1740)
        #expect(TableauError.waitNamed(in: "429000: Too Many Requests — retry after 90 seconds") == 90)
        #expect(TableauError.waitNamed(in: "Try again in 1 hour") == 3600)
        #expect(TableauError.waitNamed(in: "Too many requests") == nil)
    }

    @Test func a429NamingMinutesIsNotRetriedAndSaysHowLong() async throws {
        try await withEmulator(seed: try SeedLoader.decode(Data(CommaNameTests.seed.utf8))) { emulator in
            let client = TableauClient(configuration: try TestConfiguration.make(emulator))
            let item = try #require(try await client.items(.datasource, named: "Sales").first)
            emulator.state.setFaults(FaultSettings(failNext: [
                ScriptedFault(status: 429, count: 5, pathContains: "/refresh", message: "Too many requests. Please retry after 2 minutes")
            ]))
            let failure: TableauError? = await {
                do throws(TableauError) {
                    _ = try await client.refresh(.datasource, id: item.id)
                    return nil
                } catch {
                    return error
                }
            }()
            #expect(failure?.status == 429)
            #expect(failure?.holdSeconds == 120)
            #expect(emulator.state.recordedRequests().filter { $0.path.hasSuffix("/refresh") }.count == 1)
        }
    }
}
