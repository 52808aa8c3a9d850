import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// An enum, integer or flag query parameter given empty is refused (400 naming it), as the
/// document says, not taken as absent (schemathesis found `status=` accepted).
@Suite struct EmptyQueryParameterTests {
    @Test func emptyEnumsNumbersAndFlagsAreRefused() async throws {
        try await HTTPFixture.test { fixture, client in
            for (uri, field) in [
                ("/api/v1/alerts/deliveries?status=", "status"), ("/api/v1/alerts/deliveries?limit=", "limit"),
                ("/api/v1/pipeline-events?limit=", "limit"), ("/api/v1/freshness?stale=", "stale"),
            ] {
                let response = try await client.call(.get, uri, token: fixture.adminToken)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.object["field"] as? String == field, "\(uri)")
            }
            // Text parameters given empty still mean "absent".
            #expect(try await client.call(.get, "/api/v1/alerts/deliveries?eventId=", token: fixture.adminToken).status == .ok)
        }
    }
}
