import Foundation
import Testing
@testable import Freshet

@Suite struct SecretReferenceTests {
    /// A scratch folder of its own; removed by `remove()`.
    struct Scratch {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-ref-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

        func file(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
            return url.path
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func referencesParseAndPrintAsWritten() throws {
        #expect(try SecretReference(parsing: "env:TABLEAU_PAT") == .environment("TABLEAU_PAT"))
        #expect(try SecretReference(parsing: " file:/run/secrets/pat ") == .file("/run/secrets/pat"))
        let exec = try SecretReference(parsing: #"exec:/usr/bin/vault kv get -field=secret "tableau/prod pat""#)
        #expect(exec == .exec(command: "/usr/bin/vault", arguments: ["kv", "get", "-field=secret", "tableau/prod pat"]))
        #expect(exec.description == "exec:/usr/bin/vault kv get -field=secret 'tableau/prod pat'")
        #expect(try SecretReference(parsing: exec.description) == exec)
        #expect(try SecretReference(parsing: "exec:op read ''") == .exec(command: "op", arguments: ["read", ""]))
    }

    /// Every reference's description parses back to it (the database stores descriptions; one
    /// that did not parse made every read of connections fail: schemathesis found
    /// `exec:a"'"b`).
    @Test(arguments: [#"exec:a"'"b"#, #"exec:x 'say "hi"' "it's""#, #"exec:"'" '"'"#, "exec:'' ' ' \"\"", "exec:tab\tword"])
    func descriptionsParseBack(text: String) throws {
        let reference = try SecretReference(parsing: text)
        #expect(try SecretReference(parsing: reference.description) == reference, "\(reference.description)")
    }

    @Test(arguments: [
        ("env:", "env: needs an environment variable name"), ("env:1ABC", "env: needs"), ("env:A-B", "env: needs"),
        ("file:relative/path", "absolute path"), ("exec:", "exec: needs a command"), ("exec:vault 'open", "unclosed quote"),
        ("vault:thing", "starts with env:, file: or exec:"), ("exec:vault '\u{0}'", "NUL"), ("file:/run/a\u{0}b", "NUL"),
    ])
    func badReferencesSayWhatIsWrong(text: String, expected: String) {
        #expect { try SecretReference(parsing: text) } throws: { ($0 as? ValidationError)?.message.contains(expected) == true }
    }

    @Test func environmentAndFileReferencesReadTheirValue() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try SecretResolver.read(.environment("PAT"), environment: ["PAT": " s3cret \n"]) == "s3cret")
        #expect { try SecretResolver.read(.environment("PAT"), environment: [:]) } throws: {
            "\($0)" == "Cannot read the secret from env:PAT: the environment variable PAT is not set or empty"
        }
        let path = try scratch.file("pat", "from-file\n")
        #expect(try SecretResolver.read(.file(path), environment: [:]) == "from-file")
        #expect { try SecretResolver.read(.file(path + "-missing"), environment: [:]) } throws: { "\($0)".hasSuffix("the file does not exist") }
        let empty = try scratch.file("empty", "\n")
        #expect { try SecretResolver.read(.file(empty), environment: [:]) } throws: { "\($0)".hasSuffix("the file is empty") }
    }

    @Test func helpersRunWithoutAShellAndTheirFailuresNeverCarryStandardError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let echo = try scratch.file("echo.sh", "#!/bin/sh\nprintf '%s\\n' \"$1\"\necho noise >&2\n", mode: 0o700)
        // No shell: `$HOME` and `;` reach the helper as they are.
        #expect(try SecretResolver.read(.exec(command: echo, arguments: ["$HOME;x"]), environment: [:]) == "$HOME;x")
        let failing = try scratch.file("fail.sh", "#!/bin/sh\necho 'LEAKED token=abc' >&2\nexit 4\n", mode: 0o700)
        #expect { try SecretResolver.read(.exec(command: failing, arguments: []), environment: [:]) } throws: { error in
            let text = "\(error)"
            return text.contains("exited with status 4") && !text.contains("LEAKED")
        }
        let silent = try scratch.file("silent.sh", "#!/bin/sh\nexit 0\n", mode: 0o700)
        #expect { try SecretResolver.read(.exec(command: silent, arguments: []), environment: [:]) } throws: { "\($0)".hasSuffix("the helper printed nothing") }
        #expect { try SecretResolver.read(.exec(command: "no-such-helper-xyz", arguments: []), environment: ["PATH": "/usr/bin"]) } throws: {
            "\($0)".contains("the command no-such-helper-xyz was not found")
        }
        let slow = try scratch.file("slow.sh", "#!/bin/sh\nexec sleep 120\n", mode: 0o700)
        let started = ContinuousClock.now
        #expect { try SecretResolver.read(.exec(command: slow, arguments: []), environment: [:], timeout: .milliseconds(300)) } throws: {
            "\($0)".contains("did not finish within 0.3 s and was stopped")
        }
        #expect(ContinuousClock.now - started < .seconds(30), "stopped at its timeout, not after 120 s")
    }

    @Test func theResolverKeepsValuesInMemoryUntilAskedToReadAgain() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.file("pat", "first")
        let resolver = SecretResolver(environment: { [:] })
        #expect(try await resolver.resolve(.file(path)) == "first")
        _ = try scratch.file("pat", "second")
        #expect(try await resolver.resolve(.file(path)) == "first")
        #expect(try await resolver.resolve(.file(path), refresh: true) == "second")
        #expect(await resolver.reads == 2)
        try FileManager.default.removeItem(atPath: path)
        await #expect(throws: SecretReferenceError.self) { try await resolver.resolve(.file(path), refresh: true) }
        // A failed read forgets the old value: nothing stale is handed out afterwards.
        await #expect(throws: SecretReferenceError.self) { try await resolver.resolve(.file(path)) }
    }

    @Test func draftsTakeASecretOrAReferenceNeverBoth() throws {
        let base = ConnectionDraft(name: "p", serverURL: "https://tableau.example.com", patName: "pat")
        var draft = base
        draft.patSecretRef = "env:TABLEAU_PAT"
        let (connection, secret) = try draft.validatedForAdd()
        #expect(secret == nil && connection.secretReference == .environment("TABLEAU_PAT"))
        draft.patSecret = "value"
        #expect { try draft.validatedForAdd() } throws: { ($0 as? ValidationError)?.message == "Give the secret or a reference to it, not both" }
        #expect { try base.validatedForAdd() } throws: { ($0 as? ValidationError)?.field == "patSecret" }
        var bad = base
        bad.patSecretRef = "file:pat.txt"
        #expect { try bad.validatedForAdd() } throws: { ($0 as? ValidationError)?.field == "patSecretRef" }

        // Edits: a secret replaces the reference, a reference replaces the secret.
        let (edited, newSecret, changed) = try ConnectionDraft(name: "p", patSecret: "typed").applied(to: connection)
        #expect(newSecret == "typed" && edited.secretReference == nil && changed == ["patSecret"])
        let (back, none, changedBack) = try ConnectionDraft(name: "p", patSecretRef: "file:/run/secrets/pat").applied(to: edited)
        #expect(none == nil && back.secretReference == .file("/run/secrets/pat") && changedBack == ["patSecretRef"])
        #expect(try ConnectionDraft(name: "p", patSecretRef: "file:/run/secrets/pat").applied(to: back).changed.isEmpty)
        var keepAlive = ConnectionDraft(name: "p", keepAliveDays: 7)
        #expect(try keepAlive.applied(to: back).0.keepAliveDays == 7)
        keepAlive.keepAliveDays = -1
        #expect { try keepAlive.applied(to: back) } throws: { ($0 as? ValidationError)?.field == "keepAliveDays" }
    }

    @Test func connectionsWithAReferenceStoreNoSecretAndShowOnlyTheReference() async throws {
        let store = InMemoryStore()
        let service = ConnectionService(store: store, sessions: store, audit: store, keyring: Keyring(current: .generate()), lifetimes: store)
        let view = try await service.add(
            ConnectionDraft(name: "p", serverURL: "https://tableau.example.com", patName: "pat", patSecretRef: "exec:/opt/vault read pat"), actor: "t")
        #expect(view.secretRef == "exec:/opt/vault read pat" && view.secretMasked.isEmpty)
        #expect(await store.connection(named: "p")?.sealedSecret == "")
        #expect(try await service.credentials(named: "p").secret == nil)
        #expect(try await store.resealAll { _ in Issue.record("an empty secret was resealed"); return "" } == 0)
        let created = try #require(await store.events(AuditQuery(action: "connection.created")).first)
        #expect(created.details["secretRef"] == "exec:/opt/vault read pat")
        // Switching to a typed secret seals it and drops the reference; switching back clears the sealed value.
        _ = try await service.edit(named: "p", with: ConnectionDraft(name: "p", patSecret: "typed-secret-1234"), actor: "t")
        #expect(try await service.show(named: "p").secretMasked == "••••••••1234")
        _ = try await service.edit(named: "p", with: ConnectionDraft(name: "p", patSecretRef: "env:PAT"), actor: "t")
        #expect(await store.connection(named: "p")?.sealedSecret == "")
    }
}
