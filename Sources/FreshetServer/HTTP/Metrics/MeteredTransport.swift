import Foundation
package import Freshet
package import TableauClient

/// A Tableau transport that reports each call (status, Tableau's error code) and each sign-in
/// to ``EngineMetrics``. Reads only status codes and error codes, never bodies' secrets.
package struct MeteredTransport: TableauTransport {
    let base: any TableauTransport
    let metrics: EngineMetrics

    package init(_ base: any TableauTransport = AsyncHTTPClientTransport(), metrics: EngineMetrics) {
        self.base = base
        self.metrics = metrics
    }

    package func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        let isSignIn = request.method == "POST" && request.url.split(separator: "?")[0].hasSuffix("/auth/signin")
        do {
            let response = try await base.send(request, timeout: timeout)
            let failed = response.status >= 400
            metrics.tableauCall(status: response.status, errorCode: failed ? Self.errorCode(response.body) ?? "http-\(response.status)" : nil)
            if isSignIn { metrics.tableauSignIn(outcome: response.status == 200 ? "success" : "failure") }
            return response
        } catch let failure as TransportFailure {
            metrics.tableauCall(status: 0, errorCode: failure.reason == .timedOut ? "timeout" : "unreachable")
            if isSignIn { metrics.tableauSignIn(outcome: "failure") }
            throw failure
        }
    }

    /// Tableau's error code from an XML (`<error code="401001">`) or JSON (`"code":"401001"`) body.
    static func errorCode(_ body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        for marker in ["code=\"", "\"code\":\"", "\"code\": \""] {
            guard let start = text.range(of: marker)?.upperBound else { continue }
            let code = text[start...].prefix { $0.isNumber }
            if !code.isEmpty, code.count <= 12 { return String(code) }
        }
        return nil
    }
}
