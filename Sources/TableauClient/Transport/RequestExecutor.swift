import Foundation
import Logging

/// Sends one logical request: builds it, retries transient failures with backoff that honours
/// Retry-After, and turns error answers into ``TableauError``.
struct RequestExecutor: Sendable {
    let configuration: TableauConfiguration
    let transport: any TableauTransport
    let clock: any PollingClock

    var logger: Logger { configuration.logger }

    /// Sends `request` and returns a 2xx answer, or throws; transient failures are retried as
    /// `retry` (default: the configuration's policy) says.
    func execute(_ request: TransportRequest, signIn: Bool = false, retry: RetryPolicy? = nil) async throws(TableauError) -> TransportResponse {
        let retry = retry ?? configuration.retry
        var attempt = 0
        while true {
            let started = clock.now()
            let outcome: Result<TransportResponse, TableauError>
            do {
                let response = try await transport.send(request, timeout: configuration.requestTimeout)
                outcome = (200..<300).contains(response.status)
                    ? .success(response) : .failure(mapError(response, signIn: signIn))
                logger.debug(
                    "tableau request",
                    metadata: [
                        "method": "\(request.method)", "path": "\(Self.loggablePath(request.url))", "status": "\(response.status)",
                        "ms": "\(Int((clock.now() - started).seconds * 1000))",
                    ]
                )
            } catch let failure as TransportFailure {
                outcome = .failure(
                    TableauError(
                        kind: failure.reason == .timedOut ? .timedOut : .unreachable, detail: failure.message,
                        host: configuration.server.hostAndPort, duringSignIn: signIn
                    )
                )
                logger.debug("tableau request failed", metadata: ["method": "\(request.method)", "path": "\(Self.loggablePath(request.url))", "reason": "\(failure.message)"])
            } catch is CancellationError {
                throw TableauError.cancelled("the request to Tableau was cancelled", host: configuration.server.hostAndPort)
            } catch {
                outcome = .failure(TableauError(kind: .unreachable, detail: AsyncHTTPClientTransport.describe(error), host: configuration.server.hostAndPort))
            }
            switch outcome {
            case .success(let response):
                return response
            case .failure(let error):
                // A wait longer than the retry policy's is the caller's to honour (Freshet holds the site).
                guard error.isTransient, attempt < retry.maxRetries, (error.holdSeconds ?? 0) <= retry.maxDelay.seconds else { throw error }
                let delay = retry.delay(forRetry: attempt, retryAfter: error.retryAfter)
                logger.debug("retrying tableau request", metadata: ["status": "\(error.status ?? 0)", "delay_ms": "\(Int(delay.seconds * 1000))"])
                attempt += 1
                do {
                    try await clock.sleep(for: delay)
                } catch {
                    throw TableauError.cancelled("cancelled while waiting to retry a call to Tableau", host: configuration.server.hostAndPort)
                }
            }
        }
    }

    /// Maps a non-2xx answer: Tableau's error (JSON or XML) or, if the body is not Tableau's, a
    /// truncated excerpt of what the host sent.
    func mapError(_ response: TransportResponse, signIn: Bool) -> TableauError {
        let retryAfter = response.header("Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let host = configuration.server.hostAndPort
        if let error = Self.tableauError(in: response.body) {
            return TableauError(
                kind: .tableau, status: response.status, code: error.code, summary: error.summary, detail: error.detail, host: host,
                duringSignIn: signIn, retryAfter: retryAfter
            )
        }
        // 429 and gateway 5xx answers carry HTML: still Tableau's (or its proxy's) status.
        if [429, 500, 502, 503, 504].contains(response.status) {
            return TableauError(
                kind: .tableau, status: response.status, summary: HTTPStatusText.text(response.status),
                detail: Self.excerpt(response.body), host: host, duringSignIn: signIn, retryAfter: retryAfter
            )
        }
        return TableauError(kind: .notTableau, status: response.status, detail: Self.excerpt(response.body), host: host, duringSignIn: signIn)
    }

    /// Tableau's `{"error":{code,summary,detail}}` or `<error code><summary/><detail/></error>`.
    static func tableauError(in body: [UInt8]) -> (code: String?, summary: String?, detail: String?)? {
        if let json = try? JSONValue.parse(body), let error = json["error"] {
            return (error["code"]?.string, error["summary"]?.string, error["detail"]?.string)
        }
        let text = String(decoding: body, as: UTF8.self)
        guard text.contains("<tsResponse"), let codeRange = text.range(of: #"<error[^>]*code="([0-9]+)""#, options: .regularExpression) else {
            return nil
        }
        let code = text[codeRange].split(separator: "\"").dropFirst().first.map(String.init)
        func element(_ name: String) -> String? {
            guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
            return String(text[open.upperBound..<close.lowerBound])
                .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
        return (code, element("summary"), element("detail"))
    }

    /// The first 200 characters of a body, on one line.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            .trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return "(empty body)" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// The path of a URL without its query (queries may carry names, never secrets, but stay short).
    static func loggablePath(_ url: String) -> String {
        guard let start = url.range(of: "://").map({ url[$0.upperBound...] }), let slash = start.firstIndex(of: "/") else { return url }
        let path = start[slash...]
        return String(path.split(separator: "?", maxSplits: 1).first ?? path)
    }
}

/// Reason phrases for statuses whose answers carry no Tableau error.
enum HTTPStatusText {
    static func text(_ status: Int) -> String {
        switch status {
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "HTTP \(status)"
        }
    }
}
