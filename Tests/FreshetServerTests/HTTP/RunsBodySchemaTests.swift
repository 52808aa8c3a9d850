import Foundation
import FreshetAPITypes
import Testing

@testable import FreshetServer

/// `POST /api/v1/runs` keeps its hand-written body decoding (the hot path); it accepts exactly
/// the bodies openapi.yaml's RunsCreate accepts, and what it accepts the generated type reads too.
@Suite struct RunsBodySchemaTests {
    let validator = OpenAPIResponseValidator.shared

    /// Bodies on both sides of every rule of RunsCreate and RunTarget.
    static let bodies: [String] = [
        #"{"connection":"demo","targets":[{"datasource":"Sales"}]}"#,
        #"{"connection":"demo","targets":[{"workbook":"Finance/Board"},{"project":"Finance"},{"table":"warehouse.public.orders"}]}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"idempotencyKey":"k","timeoutSeconds":1,"attempts":10,"waitSeconds":60}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"timeoutSeconds":604800,"attempts":1,"waitSeconds":0}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"idempotencyKey":"\#(String(repeating: "k", count: 200))"}"#,
        // Refused.
        #"{"targets":[{"datasource":"Sales"}]}"#,
        #"{"connection":"demo"}"#,
        #"{"connection":"","targets":[{"datasource":"Sales"}]}"#,
        #"{"connection":"demo","targets":[]}"#,
        #"{"connection":"demo","targets":[{}]}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales","workbook":"Board"}]}"#,
        #"{"connection":"demo","targets":[{"datasource":" "}]}"#,
        #"{"connection":"demo","targets":[{"project":""}]}"#,
        #"{"connection":"demo","targets":[{"table":"warehouse.orders"}]}"#,
        #"{"connection":"demo","targets":[{"table":"warehouse. .orders"}]}"#,
        #"{"connection":"demo","targets":[{"sheet":"Sales"}]}"#,
        #"{"connection":"demo","targets":[{"datasource":7}]}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"idempotencyKey":""}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"idempotencyKey":"\#(String(repeating: "k", count: 201))"}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"timeoutSeconds":0}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"timeoutSeconds":604801}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"attempts":0}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"attempts":11}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"waitSeconds":-1}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"waitSeconds":61}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"attempts":"2"}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"priority":1}"#,
        #"{"connection":"demo","targets":[{"datasource":"Sales"}],"idempotencyKey":null}"#,
    ]

    @Test(arguments: bodies)
    func theHandWrittenDecodingAcceptsWhatTheSchemaAccepts(_ body: String) throws {
        let bySchema = try validator.violations(of: body, against: "RunsCreate")
        let byHand = Result { try JSONBodyDecoder.decode(CreateRunsBody.self, from: Data(body.utf8)).request(headerKey: nil) }
        #expect(bySchema.isEmpty == ((try? byHand.get()) != nil), "schema: \(bySchema); hand-written: \(byHand)")
        if (try? byHand.get()) != nil {
            #expect(throws: Never.self) { try JSONBodyDecoder.decode(Components.Schemas.RunsCreate.self, from: Data(body.utf8), shape: nil) }
        }
    }

    @Test func theCorpusHasBothKinds() throws {
        let valid = try Self.bodies.filter { try validator.violations(of: $0, against: "RunsCreate").isEmpty }
        #expect(valid.count == 5)
    }
}
