import AsyncHTTPClient
import ArgumentParser
import Foundation
import Freshet
import NIOCore
import NIOHTTP1

/// `--server URL --token T` (or `FRESHET_SERVER` / `FRESHET_TOKEN`): talk to a running
/// `freshet serve` instead of the local database.
struct RemoteServer: ParsableArguments {
    @Option(help: "A running freshet serve (http://host:port) to talk to instead of the local database (default: $FRESHET_SERVER).")
    var server: String?
    @Option(help: "The API token for --server (default: $FRESHET_TOKEN).") var token: String?

    /// The client when a server is named; nil for local mode.
    func client(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> FreshetAPIClient? {
        guard let url = server ?? environment["FRESHET_SERVER"], !url.isEmpty else { return nil }
        guard let token = token ?? environment["FRESHET_TOKEN"], !token.isEmpty else {
            Output.error("--server needs an API token: pass --token or set FRESHET_TOKEN.")
            throw ExitCode(2)
        }
        return FreshetAPIClient(baseURL: url, token: token)
    }
}

/// Freshet's HTTP API from the command line. Failures are printed (the problem's detail) and
/// become the command's exit status: 5 when the server or Tableau cannot be reached, 2 for
/// refusals and bad requests (401, 403, 404, 400, 422), 1 otherwise.
struct FreshetAPIClient: Sendable {
    let baseURL: String
    let token: String

    init(baseURL: String, token: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
    }

    /// The HTTP client of every command: a server that refuses the connection (not running, wrong
    /// port) is reported at once, not retried until the request's deadline; the connection may
    /// take 10 s to be made.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Why the server could not be reached, in words: a refused connection names its usual cause.
    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return "nothing listens there (connection refused); is freshet serve running, on that port?"
        }
        return "\(error)"
    }

    /// `method path` with an optional JSON body, decoded as `type`; also returns the status.
    func send<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = Optional<Int>.none, as type: Answer.Type
    ) async throws -> (Answer, Int) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await Self.http.execute(request, timeout: .seconds(120))
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: 64 << 20)
        } catch {
            Output.error("Cannot reach the Freshet server at \(baseURL): \(Self.reason(error))")
            throw ExitCode(5)
        }
        let data = Data(bytes.readableBytesView)
        guard (200..<300).contains(status) else { throw Self.failure(status: status, data) }
        do {
            return (try Self.decoder.decode(Answer.self, from: data), status)
        } catch {
            Output.error("The Freshet server's answer to \(method.rawValue) \(path) could not be read: \(error)")
            throw ExitCode(1)
        }
    }

    /// Prints the problem's detail and returns the exit status to end with.
    static func failure(status: Int, _ data: Data) -> ExitCode {
        struct Problem: Decodable {
            var title: String?
            var detail: String?
        }
        let problem = try? decoder.decode(Problem.self, from: data)
        Output.error(problem?.detail ?? problem?.title ?? "The Freshet server answered HTTP \(status).")
        switch status {
        case 503: return ExitCode(5)
        case 400..<500, 502: return ExitCode(2)
        default: return ExitCode(1)
        }
    }

    /// `?name=value&…` of the non-nil values, percent-encoded.
    static func query(_ items: [(String, String?)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let pairs = items.compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// A path segment, percent-encoded.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
