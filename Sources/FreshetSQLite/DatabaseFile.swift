import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks that keep a data directory from silently becoming a new, empty one: an existing
/// database file must be a SQLite file that Freshet wrote (or one with no tables yet).
enum DatabaseFile {
    /// The first 16 bytes of every SQLite 3 database file.
    static let header = Array("SQLite format 3\0".utf8)

    /// Refuses an existing file that is empty or not a SQLite database.
    static func check(_ path: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size > 0 else {
            throw SQLiteDatabaseError(
                "The database file \(path) is empty (0 bytes): it is not Freshet's database, and opening it would start over with no "
                    + "connections, runs or tokens. Restore it from a backup, or move it away to start a new database on purpose.")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SQLiteDatabaseError("The database file \(path) cannot be read (check its owner and mode).")
        }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: header.count)).map(Array.init) ?? []
        guard start == header else {
            throw SQLiteDatabaseError(
                "The file \(path) is not a SQLite database, so it is not Freshet's database. Restore it from a backup, or move it away to start a new database on purpose.")
        }
    }

    /// Refuses a SQLite database that holds tables but not Freshet's migrations (another
    /// program's database).
    static func checkIsFreshets(_ writer: any DatabaseWriter, path: String) throws {
        let tables = try writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        guard !tables.contains("grdb_migrations"), !tables.isEmpty else { return }
        throw SQLiteDatabaseError(
            "The database \(path) holds tables (\(tables.prefix(5).joined(separator: ", "))) but none of Freshet's: it belongs to another program. "
                + "Point FRESHET_DATA_DIR at Freshet's own data directory.")
    }

    /// Creates the file empty with mode 0600 when it does not exist.
    static func createOwnerOnlyIfMissing(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw SQLiteDatabaseError("Cannot create the database file \(path) (errno \(errno)).")
        }
    }
}

/// An advisory lock on a file next to the database (`flock`), held while the database is
/// checked, created and migrated.
final class DatabaseFileLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SQLiteDatabaseError("Cannot create the lock file \(path) (errno \(errno)).") }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw SQLiteDatabaseError("Cannot lock \(path) (errno \(errno)).")
            }
        }
    }

    func release() {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
