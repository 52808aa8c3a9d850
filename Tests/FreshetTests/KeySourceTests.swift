import Foundation
import Testing
@testable import Freshet

/// The master key from outside the data directory: `FRESHET_MASTER_KEY_FILE` or an `exec:` helper.
@Suite struct KeySourceTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-keys-\(UUID().uuidString)")

    func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return url.path
    }

    @Test func aKeyFileApartFromTheDataDirectoryIsUsedAndNeverCreated() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let current = MasterKey.generate()
        let old = MasterKey.generate()
        let path = try write("freshet.key", "# mounted\n\(current.base64)\n\(old.base64)\n")
        let (keyring, origin) = try KeySource.loadWithOrigin(environment: [KeySource.fileVariable: path], dataDirectory: data, create: true)
        #expect(keyring.current.id == current.id && keyring.previous.map(\.id) == [old.id])
        #expect(origin == .file(URL(fileURLWithPath: path)))
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent(KeySource.fileName).path))
        #expect { try KeySource.loadWithOrigin(environment: [KeySource.fileVariable: path + ".missing"], dataDirectory: data, create: true) } throws: {
            "\($0)".contains("FRESHET_MASTER_KEY_FILE names \(path).missing, which does not exist")
        }
    }

    @Test func anExecHelperPrintsTheKeysAndItsFailuresAreNamed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let current = MasterKey.generate()
        let old = MasterKey.generate()
        let helper = try write("key.sh", "#!/bin/sh\necho \(current.base64)\necho \(old.base64)\necho 'vault noise' >&2\n", mode: 0o700)
        let (keyring, origin) = try KeySource.loadWithOrigin(
            environment: [KeySource.environmentKey: "exec:\(helper)"], dataDirectory: folder.appendingPathComponent("data"), create: true)
        #expect(keyring.current.id == current.id && keyring.previous.map(\.id) == [old.id])
        #expect(origin == .helper("exec:\(helper)"))
        let failing = try write("fail.sh", "#!/bin/sh\necho 'permission denied: token=xyz' >&2\nexit 2\n", mode: 0o700)
        #expect {
            try KeySource.loadWithOrigin(environment: [KeySource.environmentKey: "exec:\(failing)"], dataDirectory: folder, create: true)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("FRESHET_MASTER_KEY: Cannot read the secret from exec:") && text.contains("exited with status 2") && !text.contains("xyz")
        }
    }
}
