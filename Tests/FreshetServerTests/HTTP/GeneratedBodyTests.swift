import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Request bodies decoded as types generated from openapi.yaml (`decodeGenerated`) are as
/// strict as the hand-written ones: unknown members, nulls and wrong types are 400 naming the
/// field.
@Suite struct GeneratedBodyTests {
    @Test func badBodiesNameTheField() async throws {
        try await HTTPFixture.test { fixture, client in
            _ = try await fixture.addConnection("finance")
            for (body, field, words) in [
                (#"{"connection":"finance","maxAgeSeconds":60,"colour":1}"#, "colour", "Unknown field"),
                (#"{"connection":"finance","maxAgeSeconds":60,"project":null}"#, "project", "must not be null"),
                (#"{"connection":"finance","maxAgeSeconds":"soon"}"#, "maxAgeSeconds", "must be a number"),
                (#"{"connection":"finance","maxAgeSeconds":60,"itemType":"table","item":"x"}"#, "itemType", "invalid value"),
                (#"{"maxAgeSeconds":60}"#, "connection", "is required"),
            ] {
                let response = try await client.call(.put, "/api/v1/freshness/policies", token: fixture.adminToken, body: body)
                #expect(response.status == .badRequest, "\(body): \(response.text)")
                #expect(response.object["field"] as? String == field, "\(body): \(response.text)")
                #expect((response.object["detail"] as? String)?.contains(words) == true, "\(body): \(response.text)")
            }
            let set = try await client.call(
                .put, "/api/v1/freshness/policies", token: fixture.adminToken, body: #"{"connection":"finance","maxAgeSeconds":3600}"#)
            #expect(set.status == .ok, "\(set.text)")
            #expect(set.object["maxAgeSeconds"] as? Int == 3600)
        }
    }
}
