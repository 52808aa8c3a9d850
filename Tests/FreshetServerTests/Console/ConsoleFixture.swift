import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A browser-like client of the console in process: it keeps cookies and signs in as a browser
/// does (the sign-in form's CSRF cookie and field, then the session cookie).
struct ConsoleBrowser: Sendable {
    let client: any TestClientProtocol
    let cookies = CookieJar()

    /// Signs in with `token`; returns the CSRF token of the session's forms.
    @discardableResult
    func signIn(_ token: String) async throws -> String {
        let form = try await get("/sign-in")
        let csrf = try #require(form.hiddenValue("_csrf"))
        let answer = try await post("/sign-in", ["_csrf": csrf, "token": token, "next": "/"])
        #expect(answer.status == .seeOther)
        return try await csrfToken()
    }

    /// The CSRF token shown on a signed-in page.
    func csrfToken() async throws -> String {
        try #require(try await get("/runs").hiddenValue("_csrf"))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await send(.get, uri, body: nil)
    }

    /// Posts `fields` as a form (fields in sorted order; `extra` pairs appended, for repeated names).
    func post(_ uri: String, _ fields: [String: String], extra: [(String, String)] = []) async throws -> TestResponse {
        let pairs = fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + extra
        let body = pairs.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        return try await send(.post, uri, body: body)
    }

    private func send(_ method: HTTPRequest.Method, _ uri: String, body: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie = cookies.header { headers[.cookie] = cookie }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        cookies.take(response.headers[values: .setCookie])
        return response
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Cookies by name, as a browser keeps them (a cookie set with Max-Age=0 is removed).
final class CookieJar: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String] = [:]

    var header: String? {
        lock.withLock { values.isEmpty ? nil : values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    }

    func take(_ setCookies: [String]) {
        lock.withLock {
            for line in setCookies {
                let first = line.split(separator: ";", maxSplits: 1)[0]
                let parts = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                if line.lowercased().contains("max-age=0") || parts[1].isEmpty { values[name] = nil } else { values[name] = String(parts[1]) }
            }
        }
    }

    subscript(_ name: String) -> String? {
        get { lock.withLock { values[name] } }
        set { lock.withLock { values[name] = newValue } }
    }
}

extension TestResponse {
    /// The value of the first hidden input named `name`.
    func hiddenValue(_ name: String) -> String? {
        let marker = "name=\"\(name)\" value=\""
        guard let start = text.range(of: marker) else { return nil }
        return String(text[start.upperBound...].prefix { $0 != "\"" })
    }

    /// The text content of the element with `id` (tags removed, entities for quotes decoded).
    func element(id: String) -> String? {
        guard let start = text.range(of: "id=\"\(id)\"") else { return nil }
        let after = text[start.upperBound...]
        guard let close = after.firstIndex(of: ">") else { return nil }
        let content = after[after.index(after: close)...].prefix { $0 != "<" }
        return String(content).replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// The console's router in process on a temporary data directory with an admin token.
enum ConsoleTest {
    static func run(_ body: @Sendable (HTTPFixture, ConsoleBrowser) async throws -> Void) async throws {
        try await HTTPFixture.test { fixture, client in try await body(fixture, ConsoleBrowser(client: client)) }
    }
}
