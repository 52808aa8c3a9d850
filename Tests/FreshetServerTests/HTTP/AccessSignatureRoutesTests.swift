import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Signed access-event deliveries: no bearer token, an HMAC over the exact body bytes, replays
/// and clock skew refused with the reason, every refusal audited, and only this one route open.
@Suite struct AccessSignatureRoutesTests {
    typealias F = AccessHTTPFixture

    @Test func aSignedGrantIsAppliedWithTheActorSignature() async throws {
        try await F.test { fixture, client in
            let body = F.event("granted", "viewer@example.com", "Explorer", id: "signed-1")
            let response = try await client.signedEvent(body)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["status"] as? String == "applied" && response.object["actor"] as? String == "signature")
            let again = try await client.signedEvent(body)
            #expect(again.status == .ok && again.object["repeated"] as? Bool == true)
            #expect(fixture.roleChanges == 1)
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "access.granted"))
            #expect(audit.count == 2 && audit.allSatisfy { $0.actor == "signature" })
        }
    }

    @Test func badOldFutureAndPartialSignaturesAre401WithTheReason() async throws {
        try await F.test { fixture, client in
            let body = F.event("granted", "viewer@example.com", "Explorer")
            let now = Int(Date().timeIntervalSince1970)
            let cases: [(TestResponse, String)] = [
                (try await client.signedEvent(body, secret: F.secret + "x"), "does not match"),
                (try await client.signedEvent(body, timestamp: now - 301), "older than 5 minutes"),
                (try await client.signedEvent(body, timestamp: now + 120), "in the future"),
                (try await client.signedEvent(body, signature: "sha256=zz"), "sha256=<64 hex digits>"),
                (try await client.signedEvent(body, sendTimestamp: false), "X-Freshet-Timestamp header is missing"),
                (try await client.signedEvent(body, sendSignature: false), "X-Freshet-Signature header is missing"),
            ]
            for (response, reason) in cases {
                #expect(response.status == .unauthorized && response.isProblem)
                #expect((response.object["detail"] as? String)?.contains(reason) == true, "\(response.text)")
                #expect(!response.text.contains(F.secret))
            }
            // The body signed is the body checked: one byte changed is a mismatch.
            let timestamp = now
            let signature = AccessEventSignature.sign(body: Array(body.utf8), timestamp: timestamp, secret: F.secret)
            let tampered = try await client.signedEvent(body.replacingOccurrences(of: "Explorer", with: "Creator"), timestamp: timestamp, signature: signature)
            #expect(tampered.status == .unauthorized)
            let recorded = try await fixture.runtime.accessEvents()
            #expect(fixture.roleChanges == 0 && recorded.isEmpty)
            let rejected = try await fixture.runtime.store.events(AuditQuery(action: "access.signature_rejected"))
            #expect(rejected.count == cases.count + 1 && rejected.allSatisfy { $0.actor == "signature" && $0.outcome == "failure" })
        }
    }

    @Test func aReplayedDeliveryOlderThanFiveMinutesIsRefusedEvenWithAValidSignature() async throws {
        try await F.test { fixture, client in
            let body = F.event("granted", "viewer@example.com", "Explorer", id: "replay-1")
            let old = Int(Date().timeIntervalSince1970) - 6 * 60
            let replay = try await client.signedEvent(body, timestamp: old)
            #expect(replay.status == .unauthorized && (replay.object["detail"] as? String)?.contains("replays") == true)
            #expect(try await fixture.runtime.accessEvents().isEmpty)
        }
    }

    @Test func withoutAConfiguredSecretSignedEventsAreRefused() async throws {
        try await F.test(secret: nil) { _, client in
            let response = try await client.signedEvent(F.event("granted", "viewer@example.com", "Explorer"))
            #expect(response.status == .unauthorized)
            #expect((response.object["detail"] as? String)?.contains("FRESHET_ACCESS_EVENT_SECRET") == true)
        }
    }

    @Test func neitherTokenNorSignatureIs401AndSignatureHeadersOpenNoOtherRoute() async throws {
        try await F.test { _, client in
            let body = F.event("granted", "viewer@example.com", "Explorer")
            let bare = try await client.call(.post, "/api/v1/access-events", body: body)
            #expect(bare.status == .unauthorized && bare.headers[.wwwAuthenticate] != nil)
            // Signature headers do not open the listing, nor any other route.
            let timestamp = Int(Date().timeIntervalSince1970)
            let headers: HTTPFields = [
                HTTPField.Name("X-Freshet-Timestamp")!: String(timestamp),
                HTTPField.Name("X-Freshet-Signature")!: AccessEventSignature.sign(body: [], timestamp: timestamp, secret: F.secret),
            ]
            for (method, path) in [(HTTPRequest.Method.get, "/api/v1/access-events"), (.get, "/api/v1/connections"), (.get, "/api/v1/connections/demo/users")] {
                let response = try await client.checkedExecute(uri: path, method: method, headers: headers)
                #expect(response.status == .unauthorized, "\(method) \(path)")
            }
            // A bearer token wins over signature headers: a bad token is 401 even when the signature is good.
            var withToken = headers
            withToken[.authorization] = "Bearer fsh_not-a-token"
            let bad = try await client.checkedExecute(uri: "/api/v1/access-events", method: .post, headers: withToken, body: ByteBuffer(string: body))
            #expect(bad.status == .unauthorized)
        }
    }

    @Test func aSignedBodyIsStillStrict() async throws {
        try await F.test { _, client in
            let response = try await client.signedEvent(#"{"eventId":"e","type":"granted","connection":"demo","user":"u","role":"Viewer","extra":1}"#)
            #expect(response.status == .badRequest && response.object["field"] as? String == "extra")
            let xml = try await client.signedEvent(F.event("granted", "u", "Viewer"), contentType: "application/xml")
            #expect(xml.status == .unsupportedMediaType && xml.isProblem, "\(xml.text)")
        }
    }
}
