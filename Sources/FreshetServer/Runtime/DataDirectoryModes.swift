package import Foundation
import Logging

/// Warns when the data directory or one of its files can be read by others than its owner
/// (Freshet creates them owner-only: 0700 and 0600).
package enum DataDirectoryModes {
    /// The files checked besides the directory itself.
    static let files = ["master.key", "freshet.sqlite", "freshet.sqlite-wal", "freshet.sqlite-shm", "freshet.sqlite.lock"]

    /// The paths whose mode grants anything to group or others, with their modes.
    package static func widerModes(in directory: URL) -> [(path: String, mode: Int)] {
        ([directory.path] + files.map { directory.appendingPathComponent($0).path }).compactMap { path in
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber else { return nil }
            return mode.intValue & 0o077 != 0 ? (path, mode.intValue) : nil
        }
    }

    static func warnAboutWiderModes(in directory: URL, logger: Logger) {
        for (path, mode) in widerModes(in: directory) {
            logger.warning(
                "\(path) is readable or writable by others than its owner (mode \(String(mode & 0o777, radix: 8))); run chmod go= on it",
                metadata: ["path": "\(path)"])
        }
    }
}
