import Foundation
import Freshet
import FreshetServer
import Testing

@Suite struct KeyRotationTests {
    func runtime(_ directory: URL) throws -> FreshetRuntime {
        try FreshetRuntime(dataDirectory: directory, environment: [:])
    }

    func addConnections(_ runtime: FreshetRuntime) async throws {
        for name in ["a", "b", "c"] {
            _ = try await runtime.connections.add(
                ConnectionDraft(name: name, serverURL: "tableau.example.com", patName: "pat-\(name)", patSecret: "secret-\(name)-0123456789"),
                actor: "test"
            )
        }
    }

    @Test func rotationReencryptsEverythingAndRetiresTheOldKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-rotate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try runtime(directory)
        try await addConnections(before)
        let outcome = try await before.rotateMasterKey(actor: "test")
        #expect(outcome.resealed == 3 && outcome.previousKeyId != outcome.newKeyId)
        #expect(outcome.keptKeyIds == [outcome.newKeyId])
        let after = try runtime(directory)
        #expect(after.keyring.current.id == outcome.newKeyId)
        #expect(try await after.store.sealingKeyIds() == [outcome.newKeyId])
        #expect(try await after.connections.show(named: "b").secretMasked == "••••••••6789")
        #expect(try await after.connections.credentials(named: "c").secret == "secret-c-0123456789")
        #expect(try await after.store.events(AuditQuery(action: "secrets.rotated")).first?.outcome == "success")
    }

    @Test func aRotationInterruptedAfterSavingTheNewKeyLosesNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-rotate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try runtime(directory)
        try await addConnections(before)
        // Step 1 done, then "killed": the key file has a new current key, the database the old ciphertexts.
        var half = before.keyring
        half.rotate(to: .generate())
        try KeySource.write(half, to: directory.appendingPathComponent(KeySource.fileName))
        let restarted = try runtime(directory)
        #expect(try await restarted.connections.credentials(named: "a").secret == "secret-a-0123456789")
        // Running it again finishes the job.
        let outcome = try await restarted.rotateMasterKey(actor: "test")
        #expect(outcome.resealed == 3 && outcome.keptKeyIds == [outcome.newKeyId])
        #expect(try await runtime(directory).connections.credentials(named: "b").secret == "secret-b-0123456789")
    }

    @Test func aWrongMasterKeyGivesAClearError() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-wrongkey-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await addConnections(try runtime(directory))
        // Refused when opening (issue 19), naming the key that sealed the secrets and where it was looked for.
        #expect { try FreshetRuntime(dataDirectory: directory, environment: ["FRESHET_MASTER_KEY": MasterKey.generate().base64]) } throws: {
            "\($0)".contains("sealed with master key k") && "\($0)".contains("FRESHET_MASTER_KEY")
        }
    }

    @Test func aKeyFileKeptApartIsRotatedInPlace() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-keyfile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        let file = keys.appendingPathComponent("freshet.key")
        try KeySource.write(Keyring(current: .generate()), to: file)
        let environment = [KeySource.fileVariable: file.path]
        let data = directory.appendingPathComponent("data")
        let before = try FreshetRuntime(dataDirectory: data, environment: environment)
        try await addConnections(before)
        let outcome = try await before.rotateMasterKey(actor: "test")
        #expect(outcome.resealed == 3 && outcome.previousKeyId != outcome.newKeyId)
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent(KeySource.fileName).path))
        let after = try FreshetRuntime(dataDirectory: data, environment: environment)
        #expect(after.keyring.current.id == outcome.newKeyId)
        #expect(try await after.connections.credentials(named: "a").secret == "secret-a-0123456789")
    }

    @Test func aKeyFromAHelperIsRotatedByItsOwnerAndResealedHere() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-keyexec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        // A stand-in for a vault CLI: prints what the "vault" file holds.
        let vault = directory.appendingPathComponent("vault.txt")
        try Data("\(old.base64)\n".utf8).write(to: vault)
        let helper = directory.appendingPathComponent("vault.sh")
        try Data("#!/bin/sh\ncat \(vault.path)\n".utf8).write(to: helper)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: helper.path)
        let environment = [KeySource.environmentKey: "exec:\(helper.path)"]
        let data = directory.appendingPathComponent("data")
        let before = try FreshetRuntime(dataDirectory: data, environment: environment)
        #expect(before.keyOrigin == .helper("exec:\(helper.path)"))
        try await addConnections(before)
        // The key's owner puts the new key first and keeps the old one below it.
        try Data("\(new.base64)\n\(old.base64)\n".utf8).write(to: vault)
        let outcome = try await FreshetRuntime(dataDirectory: data, environment: environment).rotateMasterKey(actor: "test")
        #expect(outcome.previousKeyId == new.id && outcome.newKeyId == new.id && outcome.resealed == 3 && outcome.keptKeyIds == [new.id])
        // The old key can now leave the vault.
        try Data("\(new.base64)\n".utf8).write(to: vault)
        let after = try FreshetRuntime(dataDirectory: data, environment: environment)
        #expect(try await after.connections.credentials(named: "c").secret == "secret-c-0123456789")
    }
}
