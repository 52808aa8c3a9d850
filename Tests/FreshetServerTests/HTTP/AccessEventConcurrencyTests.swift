import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// Many deliveries of one access event at the same moment (an identity provider retrying
/// eagerly): Tableau is asked once, exactly one answer is the first application, and every
/// other answer is that record repeated (200) or "still being applied" (409 with Retry-After).
@Suite struct AccessEventConcurrencyTests {
    typealias F = AccessHTTPFixture

    @Test func concurrentDeliveriesOfOneEventChangeTheRoleOnce() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let body = F.event("granted", "viewer@example.com", "ExplorerCanPublish", id: "burst-1")
            let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        // Half with the token, half signed: both paths share one claim per event id.
                        index.isMultiple(of: 2)
                            ? try await client.call(.post, "/api/v1/access-events", token: token, body: body)
                            : try await client.signedEvent(body)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(fixture.roleChanges == 1)
            let first = answers.filter { $0.status == .ok && $0.object["repeated"] as? Bool == false }
            #expect(first.count == 1 && first.first?.object["status"] as? String == "applied", "\(answers.map(\.text))")
            for answer in answers where !(answer.status == .ok && answer.object["repeated"] as? Bool == false) {
                let repeated = answer.status == .ok && answer.object["repeated"] as? Bool == true && answer.object["status"] as? String == "applied"
                let pending = answer.status == .conflict && answer.headers[.retryAfter] != nil && answer.event["status"] as? String == "pending"
                #expect(repeated || pending, "\(answer.status) \(answer.text)")
            }
            let after = try await client.call(.post, "/api/v1/access-events", token: token, body: body)
            #expect(after.status == .ok && after.object["repeated"] as? Bool == true && after.object["status"] as? String == "applied")
            #expect(fixture.roleChanges == 1)
        }
    }
}
