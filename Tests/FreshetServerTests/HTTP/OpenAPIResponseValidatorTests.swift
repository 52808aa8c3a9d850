import Foundation
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// The response validator every router test runs finds each kind of disagreement with the
/// document, and none where there is none.
@Suite struct OpenAPIResponseValidatorTests {
    let validator = OpenAPIResponseValidator.shared

    func check(_ method: String, _ uri: String, _ status: Int, _ body: String, type: String? = "application/json") -> [String] {
        validator.violations(method: method, uri: uri, status: status, contentType: type, body: Data(body.utf8))
    }

    static let problem = #"{"type":"urn:freshet:problem:not-found","title":"Not Found","status":404,"detail":"No run x."}"#

    @Test func aConformingAnswerPasses() {
        #expect(check("GET", "/health", 200, #"{"status":"up"}"#).isEmpty)
        #expect(check("GET", "/api/v1/runs/r1?waitSeconds=0", 404, Self.problem, type: "application/problem+json").isEmpty)
        #expect(check("DELETE", "/api/v1/connections/demo", 204, "", type: nil).isEmpty)
    }

    @Test func eachKindOfDisagreementIsFound() {
        // A status the operation does not document (no default).
        #expect(check("GET", "/health", 500, #"{"status":"up"}"#).first?.contains("status is not documented") == true)
        // A content type the response does not have.
        #expect(check("GET", "/api/v1/runs/r1", 404, Self.problem).first?.contains("content type") == true)
        // A missing required member, a value outside its enum, a wrong type, a bad date-time.
        #expect(check("GET", "/health", 200, "{}").first?.contains("required member \"status\"") == true)
        #expect(check("GET", "/health", 200, #"{"status":"down"}"#).first?.contains("is not one of") == true)
        #expect(check("GET", "/health", 200, #"{"status":1}"#).first?.contains("integer where the document says string") == true)
        let token = #"{"id":"1","name":"n","hint":"h","scopes":[],"isAdmin":false,"allowList":{},"createdAt":"yesterday","createdBy":"a"}"#
        #expect(check("DELETE", "/api/v1/tokens/n", 200, token).first?.contains("not an RFC 3339 date-time") == true)
        // A member a closed object does not have; a body where none is documented.
        let badToken = token.replacingOccurrences(of: "\"yesterday\"", with: "\"2026-11-29T10:00:00Z\"")
            .replacingOccurrences(of: "\"allowList\":{}", with: "\"allowList\":{\"sites\":[]}")
        #expect(check("DELETE", "/api/v1/tokens/n", 200, badToken).first?.contains("member \"sites\" is not in the document") == true)
        #expect(check("DELETE", "/api/v1/connections/demo", 204, "{}").first?.contains("a body where the document describes none") == true)
    }

    @Test func pathsOutsideTheDocumentAreNotChecked() {
        #expect(check("GET", "/runs", 200, "<html>", type: "text/html").isEmpty)
        #expect(check("GET", "/api/v1/nothing-here", 404, Self.problem).isEmpty)
    }
}

/// The cross-field rules the server keeps are stated in the document (so schemathesis generates
/// only requests that keep them, and clients can read them).
@Suite struct OpenAPICrossFieldRuleTests {
    let validator = OpenAPIResponseValidator.shared

    func valid(_ body: String, _ schema: String) throws -> Bool { try validator.violations(of: body, against: schema).isEmpty }

    @Test func aSecretIsAValueOrAReferenceNotBoth() throws {
        let pat = #""name":"n","serverUrl":"https://tableau.example.com","patName":"p""#
        #expect(try valid("{\(pat),\"patSecret\":\"s\"}", "ConnectionCreatePAT"))
        #expect(try valid("{\(pat),\"patSecretRef\":\"env:TABLEAU_PAT\"}", "ConnectionCreatePAT"))
        #expect(try !valid("{\(pat),\"patSecret\":\"s\",\"patSecretRef\":\"env:TABLEAU_PAT\"}", "ConnectionCreatePAT"))
        #expect(try !valid("{\(pat)}", "ConnectionCreatePAT"))
        let app = #""clientId":"c","secretId":"i","username":"u""#
        let value = String(repeating: "x", count: 32)
        #expect(try valid("{\(app),\"secretValue\":\"\(value)\"}", "ConnectedApp"))
        #expect(try !valid("{\(app),\"secretValue\":\"\(value)\",\"secretValueRef\":\"file:/run/s\"}", "ConnectedApp"))
        // Editing: blank means "keep", so a blank reference beside a new value is fine.
        #expect(try valid(#"{"patSecret":"new","patSecretRef":" "}"#, "ConnectionEdit"))
        #expect(try !valid(#"{"patSecret":"new","patSecretRef":"env:X"}"#, "ConnectionEdit"))
        #expect(try !valid("{\"connectedApp\":{\"secretValue\":\"\(value)\",\"secretValueRef\":\"env:X\"}}", "ConnectionEdit"))
    }

    @Test func aReferenceHasItsSyntax() throws {
        for good in ["env:TABLEAU_PAT", " file:/run/secrets/pat ", #"exec:/usr/bin/vault kv get "-field=secret" tableau/pat"#] {
            #expect(try valid("\"\(good.replacingOccurrences(of: "\"", with: "\\\""))\"", "SecretReference"), "\(good)")
        }
        for bad in ["env:", "env:1X", "file:relative", "exec:", #"exec:'unclosed"#, "vault:x", ""] {
            #expect(try !valid("\"\(bad.replacingOccurrences(of: "\"", with: "\\\""))\"", "SecretReference"), "\(bad)")
        }
    }

    @Test func aSlackRouteTakesNoSecretAndAPolicyItemComesWithItsType() throws {
        #expect(try valid(#"{"name":"r","format":"webhook","url":"https://h.example.com/x","secret":"0123456789abcdef"}"#, "AlertRouteCreate"))
        #expect(try !valid(#"{"name":"r","format":"slack","url":"https://hooks.slack.com/x","secret":"0123456789abcdef"}"#, "AlertRouteCreate"))
        #expect(try valid(#"{"connection":"c","itemType":"workbook","item":"Sales","maxAgeSeconds":60}"#, "FreshnessPolicySet"))
        #expect(try !valid(#"{"connection":"c","item":"Sales","maxAgeSeconds":60}"#, "FreshnessPolicySet"))
        #expect(try !valid(#"{"connection":"c","itemType":"workbook","maxAgeSeconds":60}"#, "FreshnessPolicySet"))
        #expect(try !valid(#"{"connection":"c","project":"P","itemType":"workbook","item":"Sales","maxAgeSeconds":60}"#, "FreshnessPolicySet"))
        #expect(try !valid(#"{"name":"t","expiresAt":"2030-01-01T00:00:00Z","expiresIn":"30d","admin":true}"#, "TokenCreate"))
        #expect(try !valid(#"{"name":"t","scopes":[]}"#, "TokenCreate"))
        #expect(try valid(#"{"name":"t","scopes":["read"],"expiresIn":"30d"}"#, "TokenCreate"))
    }
}

/// The router tests' helpers record an issue when an answer breaks the document.
@Suite struct RouterHelperValidationTests {
    @Test func anAnswerThatBreaksTheDocumentIsAnIssue() async throws {
        try await HTTPFixture.test { _, client in
            // The real document: no issue.
            #expect(try await client.checkedExecute(uri: "/health", method: .get).status == .ok)
            // A document that says /health answers only "ready": the same answer is an issue.
            let stricter = OpenAPIResponseValidator(yaml: OpenAPIDocument.yaml.replacingOccurrences(of: "enum: [up, ready]", with: "enum: [ready]"))
            try await withKnownIssue {
                _ = try await client.checkedExecute(uri: "/health", method: .get, against: stricter)
            } matching: { issue in
                issue.comments.contains { $0.rawValue.contains("GET /health → 200: $.status: \"up\" is not one of") }
            }
        }
    }
}
