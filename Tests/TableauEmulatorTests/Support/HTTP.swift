import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TableauEmulator
import Testing

/// An answer from the emulator: status, headers and the body as text.
struct Answer: Sendable, CustomStringConvertible {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body parsed as JSON (fails the test when it is not JSON).
    func json(sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        try JSON.parse(body, sourceLocation: sourceLocation)
    }

    var contentType: String { headers.first(name: "Content-Type") ?? "" }

    var description: String { "HTTP \(status): \(body.prefix(600))" }
}

/// Sends one request over a real socket with AsyncHTTPClient.
func send(
    _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil
) async throws -> Answer {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let buffer = try await response.body.collect(upTo: 64 << 20)
    return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
}

/// A Tableau REST client for tests: an emulator's base URL, an API version and (after sign-in) a session.
struct Tab: Sendable {
    var base: String
    var version = "3.24"
    var token: String?
    var siteId = ""
    var userId = ""
    /// Ask for JSON (`Accept: application/json`) unless false.
    var wantsJSON = true

    init(_ emulator: RunningEmulator, version: String = "3.24") {
        base = emulator.baseURL
        self.version = version
    }

    /// `path` is absolute (`/api/-/search`) or relative to `/api/{version}/`; `SITE` is replaced by the session's site id.
    func url(_ path: String) -> String {
        let resolved = path.replacingOccurrences(of: "SITE", with: siteId)
        return resolved.hasPrefix("/") ? base + resolved : base + "/api/\(version)/" + resolved
    }

    func call(
        _ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String? = nil, headers extra: [(String, String)] = []
    ) async throws -> Answer {
        var headers = extra
        if wantsJSON { headers.append(("Accept", "application/json")) }
        if let token { headers.append(("X-Tableau-Auth", token)) }
        if let body {
            let trimmed = body.drop { $0 == " " || $0 == "\n" }
            headers.append(("Content-Type", contentType ?? (trimmed.hasPrefix("<") ? "text/xml" : "application/json")))
        }
        return try await send(method, url(path), headers: headers, body: body)
    }

    func get(_ path: String) async throws -> Answer { try await call(.GET, path) }
    func post(_ path: String, _ body: String? = nil) async throws -> Answer { try await call(.POST, path, body: body) }
    func put(_ path: String, _ body: String? = nil) async throws -> Answer { try await call(.PUT, path, body: body) }
    func delete(_ path: String) async throws -> Answer { try await call(.DELETE, path) }

    /// Signs in with a sign-in body (JSON); returns the signed-in client.
    func signedIn(body: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Tab {
        var copy = self
        copy.token = nil
        copy.wantsJSON = true
        let answer = try await copy.post("auth/signin", body)
        try #require(answer.status == 200, "sign-in failed: \(answer)", sourceLocation: sourceLocation)
        let credentials = try answer.json()["credentials"]
        let token: String = try #require(credentials["token"].stringValue, sourceLocation: sourceLocation)
        copy.token = token
        copy.siteId = try #require(credentials["site"]["id"].stringValue, sourceLocation: sourceLocation)
        copy.userId = try #require(credentials["user"]["id"].stringValue, sourceLocation: sourceLocation)
        copy.wantsJSON = wantsJSON
        return copy
    }

    func signedIn(pat name: String, secret: String, site: String = "", sourceLocation: SourceLocation = #_sourceLocation) async throws -> Tab {
        try await signedIn(body: Demo.patBody(name, secret, site: site), sourceLocation: sourceLocation)
    }

    /// The demo site administrator (PAT `freshet-admin`).
    func admin(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Tab {
        try await signedIn(pat: "freshet-admin", secret: "demo-admin-pat-secret", sourceLocation: sourceLocation)
    }

    /// The demo Creator (PAT `freshet-analyst`).
    func analyst(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Tab {
        try await signedIn(pat: "freshet-analyst", secret: "demo-analyst-pat-secret", sourceLocation: sourceLocation)
    }

    /// The id of the workbook or data source named `name` (`kind` = "workbooks" or "datasources").
    func id(of kind: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let encoded = name.replacingOccurrences(of: " ", with: "+")
        var json = self
        json.wantsJSON = true
        let answer = try await json.get("sites/SITE/\(kind)?filter=name:eq:\(encoded)")
        try #require(answer.status == 200, "\(answer)", sourceLocation: sourceLocation)
        let singular = String(kind.dropLast())
        return try #require(try answer.json()[kind][singular][0]["id"].stringValue, "no \(singular) named \(name)", sourceLocation: sourceLocation)
    }

    /// The error code of an error answer (JSON form).
    static func errorCode(_ answer: Answer) -> String? {
        (try? JSON.parse(answer.body))?["error"]["code"].stringValue
    }
}

/// Admin API helpers (`/_emulator/…`).
extension RunningEmulator {
    func admin(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> Answer {
        try await send(
            method, baseURL + "/_emulator/" + path, headers: body == nil ? [] : [("Content-Type", "application/json")], body: body
        )
    }
}

/// Facts about the demo seed used across suites.
enum Demo {
    static func seed() throws -> Seed { try DemoSeed.seed() }

    static func patBody(_ name: String, _ secret: String, site: String = "") -> String {
        #"{"credentials":{"personalAccessTokenName":"\#(name)","personalAccessTokenSecret":"\#(secret)","site":{"contentUrl":"\#(site)"}}}"#
    }

    static func passwordBody(_ name: String, _ password: String, site: String = "") -> String {
        #"{"credentials":{"name":"\#(name)","password":"\#(password)","site":{"contentUrl":"\#(site)"}}}"#
    }

    static func jwtBody(_ jwt: String, site: String = "") -> String {
        #"{"credentials":{"jwt":"\#(jwt)","isUat":"false","site":{"contentUrl":"\#(site)"}}}"#
    }

    /// A manual clock and a configuration using it.
    static func manual(sessionMinutes: Double? = nil, maxApiVersion: String? = nil) -> (EmulatorClock, EmulatorConfiguration) {
        let clock = EmulatorClock.manual()
        return (clock, EmulatorConfiguration(maxApiVersion: maxApiVersion, sessionMinutes: sessionMinutes, clock: clock))
    }
}
