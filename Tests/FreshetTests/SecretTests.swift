import Foundation
import Testing
@testable import Freshet

@Suite struct SecretTests {
    @Test func sealedSecretsRecordTheirKeyAndOpen() throws {
        let keyring = Keyring(current: .generate())
        let sealed = try keyring.seal("tableau-pat-secret")
        #expect(!sealed.contains("tableau-pat-secret"))
        #expect(Keyring.keyId(of: sealed) == keyring.current.id)
        #expect(try keyring.open(sealed) == "tableau-pat-secret")
        #expect(try keyring.seal("same") != keyring.seal("same"))
    }

    @Test func rotationKeepsOldSecretsReadableUntilResealed() throws {
        var keyring = Keyring(current: .generate())
        let old = try keyring.seal("s1")
        let oldId = keyring.current.id
        keyring.rotate(to: .generate())
        // Interrupted half-way: the old ciphertext still opens, a resealed one uses the new key.
        #expect(try keyring.open(old) == "s1")
        let resealed = try keyring.reseal(old)
        #expect(Keyring.keyId(of: resealed) == keyring.current.id && Keyring.keyId(of: resealed) != oldId)
        #expect(try keyring.reseal(resealed) == resealed)
        keyring.retire(keeping: [])
        #expect(try keyring.open(resealed) == "s1")
        #expect { try keyring.open(old) } throws: { "\($0)".contains("master key \(oldId), which is not available") }
    }

    @Test func aWrongKeyGivesAClearErrorNeverGarbage() throws {
        let keyring = Keyring(current: .generate())
        let sealed = try keyring.seal("secret")
        #expect { try Keyring(current: .generate()).open(sealed) } throws: { "\($0)".contains("not available") }
        // Same key id, altered bytes: authentication fails, and says so.
        let parts = sealed.split(separator: ":", maxSplits: 2).map(String.init)
        var bytes = try #require(Data(base64Encoded: parts[2]))
        bytes[bytes.count - 1] ^= 0xFF
        let tampered = "\(parts[0]):\(parts[1]):\(bytes.base64EncodedString())"
        #expect { try keyring.open(tampered) } throws: { "\($0)".contains("could not be opened with master key \(keyring.current.id)") }
        #expect { try keyring.open("not sealed") } throws: { $0 as? SecretError == .malformed }
    }

    @Test func keyFileIsCreatedOnceWithMode0600() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try KeySource.load(environment: [:], dataDirectory: directory, create: true)
        let second = try KeySource.load(environment: [:], dataDirectory: directory, create: true)
        #expect(first.current.id == second.current.id)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("master.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        var rotated = first
        rotated.rotate(to: .generate())
        try KeySource.write(rotated, to: directory.appendingPathComponent("master.key"))
        let reread = try KeySource.load(environment: [:], dataDirectory: directory, create: false)
        #expect(reread.keys.map(\.id) == rotated.keys.map(\.id))
    }

    @Test func environmentKeyWinsAndBadKeysAreRefused() throws {
        let key = MasterKey.generate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-env-\(UUID().uuidString)")
        let keyring = try KeySource.load(environment: ["FRESHET_MASTER_KEY": key.base64], dataDirectory: directory, create: true)
        #expect(keyring.current.id == key.id)
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        #expect(throws: SecretError.self) { try KeySource.load(environment: ["FRESHET_MASTER_KEY": "short"], dataDirectory: directory, create: true) }
        #expect(throws: SecretError.self) { try KeySource.load(environment: [:], dataDirectory: directory, create: false) }
    }
}

