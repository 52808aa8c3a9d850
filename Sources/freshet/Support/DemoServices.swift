import Foundation
import Freshet
import FreshetServer
import ServiceLifecycle

/// The demo data directory: created with a marker file, so that `--reset` only ever deletes a
/// directory `freshet demo` made, and the demo never writes into someone's real data.
enum DemoDirectory {
    /// The marker file's name.
    static let marker = ".freshet-demo"
    /// Where the demo's API token is kept (mode 0600), so the printed commands work on every start.
    static let tokenFile = "demo-token"

    /// A refusal to use or delete a directory the demo did not create.
    struct NotADemoDirectory: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "\(path) holds files that freshet demo did not create; give --data-dir a new or empty directory"
        }
    }

    /// Creates `directory` (deleting it first when `reset`), refusing a non-empty directory without the marker.
    static func prepare(_ directory: URL, reset: Bool) throws {
        let files = FileManager.default
        let contents = (try? files.contentsOfDirectory(atPath: directory.path)) ?? []
        if !contents.isEmpty && !contents.contains(marker) { throw NotADemoDirectory(path: directory.path) }
        if reset && !contents.isEmpty { try files.removeItem(at: directory) }
        try files.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let markerPath = directory.appendingPathComponent(marker).path
        if !files.fileExists(atPath: markerPath) {
            _ = files.createFile(atPath: markerPath, contents: Data("Created by freshet demo; freshet demo --reset deletes this directory.\n".utf8))
        }
    }
}

/// Once the emulator and the API are listening: points the connection "demo" at the emulator,
/// makes sure the demo token exists, and prints what to try.
struct DemoSetup: Service {
    let runtime: FreshetRuntime
    let emulatorPorts: AsyncStream<Int>
    let apiPorts: AsyncStream<Int>

    func run() async throws {
        var emulatorIterator = emulatorPorts.makeAsyncIterator()
        var apiIterator = apiPorts.makeAsyncIterator()
        guard let emulatorPort = await emulatorIterator.next(), let apiPort = await apiIterator.next() else { return }
        let emulatorURL = "http://127.0.0.1:\(emulatorPort)"
        try await connect(to: emulatorURL)
        let (token, created) = try await demoToken()
        printWelcome(emulatorURL: emulatorURL, api: "http://127.0.0.1:\(apiPort)", token: token, created: created)
    }

    /// Adds the connection "demo", or points the existing one at this start's emulator.
    func connect(to emulatorURL: String) async throws {
        if let stored = try await runtime.store.connection(named: "demo") {
            guard stored.connection.server.baseURL != emulatorURL else { return }
            _ = try await runtime.connections.edit(
                named: "demo", with: ConnectionDraft(name: "demo", serverURL: emulatorURL, siteContentUrl: stored.connection.siteContentUrl),
                actor: Output.actor)
        } else {
            _ = try await runtime.connections.add(
                ConnectionDraft(name: "demo", serverURL: emulatorURL, patName: "freshet-admin", patSecret: "demo-admin-pat-secret"),
                actor: Output.actor)
        }
    }

    /// The stored demo token when it still works, else a new admin token (stored for next time).
    func demoToken() async throws -> (secret: String, created: Bool) {
        let file = runtime.dataDirectory.appendingPathComponent(DemoDirectory.tokenFile)
        if let stored = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
            (try? await runtime.tokens.authenticate(stored)) != nil
        {
            return (stored, false)
        }
        var name = "demo"
        if try await runtime.tokens.store.token(idOrName: name) != nil { name = "demo-\(Int(Date().timeIntervalSince1970))" }
        let (_, secret) = try await runtime.tokens.create(name: name, scopes: Set(TokenScope.allCases), isAdmin: true, actor: Output.actor)
        try? FileManager.default.removeItem(at: file)
        guard FileManager.default.createFile(atPath: file.path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        return (secret, true)
    }

    func printWelcome(emulatorURL: String, api: String, token: String, created: Bool) {
        let directory = runtime.dataDirectory.path
        let binary = Self.binary
        let environment = "FRESHET_DATA_DIR=\(Self.quoted(directory))"
        let body = #"{"connection":"demo","targets":[{"datasource":"Sales"}],"waitSeconds":30}"#
        Output.line("""
            Freshet demo
              Tableau emulator  \(emulatorURL)  (demo seed; PAT freshet-admin / demo-admin-pat-secret)
              Freshet API       \(api)
              Web console       \(api)/  (sign in with the admin API token below)
              Data directory    \(directory)
              Admin API token   \(token)
                                (\(created ? "created now" : "the same as last time"); kept in \(directory)/\(DemoDirectory.tokenFile))

            Try it, in another terminal:
              # Refresh the Sales extract over HTTP and wait up to 30 s for Tableau's job:
              curl -s -X POST \(api)/api/v1/runs -H "Authorization: Bearer \(token)" -H 'content-type: application/json' -d '\(body)'
              # The same from the CLI through this server (Orders fails with Tableau's own notes, exit code 1):
              export FRESHET_SERVER=\(api) FRESHET_TOKEN=\(token)
              \(binary) refresh --connection demo --datasource Sales --wait
              \(binary) runs list
              \(binary) audit --limit 10
              # Or straight on the data directory, without the server:
              \(environment) \(binary) refresh --connection demo --datasource Orders --wait
              # The API document:
              curl -s \(api)/api/v1/openapi.yaml

            Ctrl-C stops the demo and keeps the data directory (freshet demo --reset starts fresh).
            Freshet demo ready: api=\(api) token=\(token) data-dir=\(directory)
            """)
    }

    /// How to call this binary again: its absolute path when started by path, else its name.
    static var binary: String {
        let first = CommandLine.arguments.first ?? "freshet"
        guard first.contains("/") else { return first }
        return quoted(URL(fileURLWithPath: first).standardizedFileURL.path)
    }

    /// `text` single-quoted for a POSIX shell when it holds anything but safe characters.
    static func quoted(_ text: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/._-+:=@%,"))
        guard text.unicodeScalars.contains(where: { !safe.contains($0) }) else { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
