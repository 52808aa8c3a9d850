import Foundation
import Freshet
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

/// The real `freshet demo` binary: it starts, serves the API with the token it prints, stops
/// cleanly on SIGTERM, and a second start on the same data directory still has the earlier run
/// (and the same token); `--reset` starts afresh; a directory it did not make is refused.
@Suite struct DemoCommandTests {
    @Test(.timeLimit(.minutes(3)))
    func startsServesStopsAndKeepsItsDataAcrossRestarts() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["demo", "--port", "0", "--emulator-port", "0", "--data-dir", directory.path]

        let first = try DemoProcess(binary, arguments)
        let ready = try await first.ready()
        #expect(ready.dataDirectory == directory.path)
        #expect(first.output.contains("curl -s -X POST \(ready.api)/api/v1/runs"))
        #expect(first.output.contains("refresh --connection demo --datasource Sales --wait"))
        #expect(first.output.contains("\(ready.api)/api/v1/openapi.yaml"))
        let health = try await Self.call(ready, .get, "/health")
        #expect(health.status == .ok)
        let created = try await Self.call(ready, .post, "/api/v1/runs", body: #"{"connection":"demo","targets":[{"datasource":"Sales"}],"waitSeconds":30}"#)
        #expect(created.status == .ok, "\(created.json)")
        let runs = try #require(created.json["runs"] as? [[String: Any]])
        let runId = try #require(runs.first?["id"] as? String)
        #expect(runs.first?["state"] as? String == "succeeded", "\(created.json)")
        #expect(await first.terminate() == 0)
        #expect(first.output.contains("Freshet demo stopped"))

        let second = try DemoProcess(binary, arguments)
        let again = try await second.ready()
        #expect(again.token == ready.token, "the stored demo token is reused")
        let earlier = try await Self.call(again, .get, "/api/v1/runs/\(runId)")
        #expect(earlier.status == .ok)
        #expect(earlier.json["state"] as? String == "succeeded", "\(earlier.json)")
        // The connection follows the emulator to its new port.
        let another = try await Self.call(again, .post, "/api/v1/runs", body: #"{"connection":"demo","targets":[{"datasource":"Sales"}],"waitSeconds":30}"#)
        #expect(another.json["state"] as? String == "succeeded", "\(another.json)")
        #expect(await second.terminate() == 0)

        let reset = try DemoProcess(binary, arguments + ["--reset"])
        let fresh = try await reset.ready()
        #expect(fresh.token != ready.token)
        let gone = try await Self.call(fresh, .get, "/api/v1/runs/\(runId)")
        #expect(gone.status == .notFound)
        #expect(await reset.terminate() == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func refusesADirectoryItDidNotMake() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("precious".utf8).write(to: directory.appendingPathComponent("freshet.sqlite"))
        let result = try await ProcessSharingTests.run(
            binary, ["demo", "--port", "0", "--data-dir", directory.path, "--reset"], environment: ["PATH": "/usr/bin:/bin", "HOME": directory.path])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("did not create"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("freshet.sqlite").path))
    }

    struct Reply {
        var status: HTTPResponse.Status
        var json: [String: Any]
    }

    /// One request to the demo's API with its token.
    static func call(_ ready: DemoProcess.Ready, _ method: HTTPRequest.Method, _ path: String, body: String? = nil) async throws -> Reply {
        let client = TestClient(host: "127.0.0.1", port: ready.port, configuration: .init(timeout: .seconds(60)))
        client.connect()
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(ready.token)"
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            TestClient.Request(path, method: method, authority: "127.0.0.1", headers: headers, body: body.map { ByteBuffer(string: $0) }))
        try await client.shutdown()
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body ?? ByteBuffer()))) as? [String: Any] ?? [:]
        return Reply(status: response.status, json: json)
    }
}

/// A `freshet demo` child process whose standard output is collected line by line.
final class DemoProcess: @unchecked Sendable {
    /// What the ready line says.
    struct Ready: Sendable {
        var api: String
        var port: Int
        var token: String
        var dataDirectory: String
    }

    private let child: ChildProcess
    private let lock = NSLock()
    private var lines: [String] = []
    private let readyLines: AsyncStream<String>

    init(_ binary: URL, _ arguments: [String]) throws {
        child = try ChildProcess(
            binary, arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path],
            stdout: .pipe, stderr: .discard)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        readyLines = stream
        let output = LineBuffer.lines(of: child.standardOutput!)
        Task { [lock] in
            for await line in output {
                lock.withLock { self.lines.append(line) }
                continuation.yield(line)
            }
            continuation.finish()
        }
    }

    /// Everything printed on standard output so far.
    var output: String { lock.withLock { lines.joined(separator: "\n") } }

    /// Waits for `Freshet demo ready: api=… token=… data-dir=…`.
    func ready() async throws -> Ready {
        for await line in readyLines where line.hasPrefix("Freshet demo ready: ") {
            var fields: [String: String] = [:]
            for part in line.dropFirst("Freshet demo ready: ".count).split(separator: " ", maxSplits: 2) {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
            }
            let api = try #require(fields["api"])
            let port = try #require(api.split(separator: ":").last.flatMap { Int($0) })
            return Ready(api: api, port: port, token: try #require(fields["token"]), dataDirectory: try #require(fields["data-dir"]))
        }
        Issue.record("freshet demo ended without a ready line:\n\(output)")
        throw CancellationError()
    }

    /// SIGTERM, then the exit status (128 + signal when a signal ended it).
    func terminate() async -> Int32 {
        child.send(SIGTERM)
        let status = await child.exitStatus()
        for await _ in readyLines {}  // the rest of standard output, up to end of file
        return status
    }
}
