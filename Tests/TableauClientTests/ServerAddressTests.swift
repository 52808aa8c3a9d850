import Testing
import TableauClient

@Suite struct ServerAddressTests {
    @Test(arguments: [
        ("https://tableau.example.com/", "https://tableau.example.com"),
        ("tableau.example.com", "https://tableau.example.com"),
        ("  https://Tableau.Example.com/#/site/marketing/home ", "https://tableau.example.com"),
        ("tableau.example.com:8443", "https://tableau.example.com:8443"),
        ("http://127.0.0.1:8800", "http://127.0.0.1:8800"),
        ("http://localhost:8800/", "http://localhost:8800"),
    ])
    func normalisesPastedAddresses(input: String, expected: String) throws {
        #expect(try ServerAddress(input).baseURL == expected)
    }

    @Test func blankAddressIsRequired() {
        #expect { try ServerAddress("   ") } throws: { ($0 as? TableauError)?.description == "Server URL is required" }
    }

    @Test func plainHTTPOnlyForLoopbackOrWhenAllowed() throws {
        #expect(throws: TableauError.self) { try ServerAddress("http://tableau.example.com") }
        #expect(try ServerAddress("http://tableau.example.com", allowInsecureHTTP: true).scheme == "http")
    }

    @Test(arguments: ["ftp://host", "host:0", "host:99999", "user@host", "https://"])
    func rejectsUnusableAddresses(input: String) {
        #expect(throws: TableauError.self) { try ServerAddress(input) }
    }

    @Test func hostAndPortHasNoSchemeOrSlash() throws {
        #expect(try ServerAddress("https://tableau.example.com:443/").hostAndPort == "tableau.example.com:443")
    }
}
