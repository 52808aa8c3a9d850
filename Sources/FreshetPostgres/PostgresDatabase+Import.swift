import Foundation
package import Freshet
import PostgresNIO

/// Why a copy into PostgreSQL was refused (nothing was written). Never holds a stored value.
package struct PostgresImportError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Reason: Sendable, Equatable {
        /// The target already holds rows.
        case notEmpty
        /// The target's schema is not this build's, or the source has a table or column it lacks.
        case schemaMismatch
        /// A stored value does not fit its column.
        case badValue
    }

    package let reason: Reason
    package let description: String

    init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }
}

/// One table a copy wrote and how many rows.
package struct ImportedTable: Sendable, Equatable {
    package var name: String
    package var rows: Int
}

extension PostgresDatabase {
    /// Source columns that have another name here (`user` is reserved in PostgreSQL).
    static let renamedColumns: [String: [String: String]] = ["access_events": ["user": "user_name"]]

    /// The tables that hold Freshet's data in this database's schema: every table but
    /// `freshet_schema_version`, by name.
    package func tableNames() async throws -> [String] {
        let logger = self.logger
        return try await withLease { connection in
            try await Self.columns(on: connection, logger: logger).keys.sorted()
        }
    }

    /// Copies `tables` (every table of a Freshet database of this build's schema, e.g. a
    /// `SQLiteSnapshot`) into this database in one transaction: all of it or nothing. Values are
    /// written as stored (sealed secrets stay sealed); audit sequences are kept and the sequence
    /// generator continues after them; tables are written referenced-first. With `commit` false
    /// everything is written and then rolled back (a dry run that proves the copy would succeed).
    /// - Parameter progress: called after each table with its name and row count.
    /// - Throws: ``PostgresImportError`` when this database is not migrated to this build's schema
    ///   or holds any row, when a table or column has no counterpart here, or a value does not fit;
    ///   ``StoreError`` when PostgreSQL fails.
    @discardableResult
    package func importTables(_ tables: [TableRows], commit: Bool = true, progress: (_ table: String, _ rows: Int) -> Void = { _, _ in })
        async throws -> [ImportedTable]
    {
        guard try await schemaVersion() == Self.latestSchemaVersion else {
            throw PostgresImportError(
                .schemaMismatch, "The database \(url) is not at this build's schema version \(Self.latestSchemaVersion): run `freshet migrate --database …` first.")
        }
        let logger = self.logger
        do {
            return try await transactionWithoutTimeout { connection in
                let columns = try await Self.columns(on: connection, logger: logger)
                let ordered = try await Self.referencedFirst(tables, targets: columns, on: connection, logger: logger)
                try await connection.query(
                    PostgresQuery(unsafeSQL: "LOCK TABLE " + columns.keys.sorted().map(Self.quoted).joined(separator: ", ") + " IN EXCLUSIVE MODE"),
                    logger: logger)
                try await Self.checkEmpty(columns.keys.sorted(), on: connection, logger: logger)
                var written: [ImportedTable] = []
                for table in ordered {
                    try await Self.insert(table, into: columns[table.name] ?? [], on: connection, logger: logger)
                    written.append(ImportedTable(name: table.name, rows: table.rows.count))
                    progress(table.name, table.rows.count)
                }
                if !commit { throw DryRun(tables: written) }
                return written
            }
        } catch let dryRun as DryRun {
            return dryRun.tables
        }
    }

    /// Thrown at the end of a dry run to roll its transaction back.
    private struct DryRun: Error {
        var tables: [ImportedTable]
    }

    /// One column of a table here.
    struct TargetColumn: Sendable {
        var name: String
        var type: String
        var isIdentity: Bool
    }

    /// The columns of every Freshet table in the current schema, in column order.
    static func columns(on connection: PostgresConnection, logger: Logger) async throws -> [String: [TargetColumn]] {
        let rows = try await Self.rows(
            """
            SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_identity::text
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'freshet_schema_version'
            ORDER BY c.table_name, c.ordinal_position
            """, on: connection, logger: logger)
        var columns: [String: [TargetColumn]] = [:]
        for row in rows {
            let (table, name, type, identity) = try row.decode((String, String, String, String).self)
            columns[table, default: []].append(TargetColumn(name: name, type: type, isIdentity: identity == "YES"))
        }
        return columns
    }

    /// `tables` with every table after the tables it refers to (foreign keys), else by name;
    /// refuses a table missing on either side.
    private static func referencedFirst(
        _ tables: [TableRows], targets: [String: [TargetColumn]], on connection: PostgresConnection, logger: Logger
    ) async throws -> [TableRows] {
        let sourceNames = Set(tables.map(\.name))
        let onlyInSource = sourceNames.subtracting(targets.keys).sorted()
        let onlyHere = Set(targets.keys).subtracting(sourceNames).sorted()
        guard onlyInSource.isEmpty, onlyHere.isEmpty else {
            throw PostgresImportError(
                .schemaMismatch,
                "The source's tables and this database's differ (only in the source: \(onlyInSource.joined(separator: ", ")); "
                    + "only here: \(onlyHere.joined(separator: ", "))): both must be this build's schema.")
        }
        let references = try await Self.rows(
            """
            SELECT child.relname::text, parent.relname::text FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            WHERE k.contype = 'f' AND child.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
            """, on: connection, logger: logger)
        var parents: [String: Set<String>] = [:]
        for row in references {
            let (child, parent) = try row.decode((String, String).self)
            if child != parent { parents[child, default: []].insert(parent) }
        }
        var remaining = tables.sorted { $0.name < $1.name }
        var ordered: [TableRows] = []
        var done = Set<String>()
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { (parents[$0.name] ?? []).isSubset(of: done) }) else {
                throw PostgresImportError(.schemaMismatch, "The tables' foreign keys form a cycle; this build cannot copy them.")
            }
            let table = remaining.remove(at: next)
            done.insert(table.name)
            ordered.append(table)
        }
        return ordered
    }

    private static func checkEmpty(_ tables: [String], on connection: PostgresConnection, logger: Logger) async throws {
        var filled: [String] = []
        for table in tables {
            let rows = try await Self.rows(PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(quoted(table)))"), on: connection, logger: logger)
            if try rows.first?.decode(Bool.self) == true { filled.append(table) }
        }
        guard filled.isEmpty else {
            throw PostgresImportError(
                .notEmpty,
                "The database is not empty (rows in \(filled.joined(separator: ", "))): a copy goes only into a new, freshly migrated database, "
                    + "so nothing there is mixed with or overwritten by the copy.")
        }
    }

    /// Inserts every row of `table`, several rows per statement, and checks the count.
    private static func insert(_ table: TableRows, into targets: [TargetColumn], on connection: PostgresConnection, logger: Logger) async throws {
        let renames = renamedColumns[table.name] ?? [:]
        let columns = try table.columns.map { source in
            let name = renames[source] ?? source
            guard let column = targets.first(where: { $0.name == name }) else {
                throw PostgresImportError(.schemaMismatch, "The source's column \(table.name).\(source) has no counterpart here.")
            }
            return column
        }
        guard !table.rows.isEmpty else { return }
        let head =
            "INSERT INTO \(quoted(table.name)) (" + columns.map { quoted($0.name) }.joined(separator: ", ") + ")"
            + (columns.contains(where: \.isIdentity) ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES "
        // PostgreSQL takes at most 65,535 parameters per statement.
        let rowsPerStatement = max(1, min(500, 30_000 / max(1, columns.count)))
        var start = 0
        while start < table.rows.count {
            let chunk = table.rows[start..<min(start + rowsPerStatement, table.rows.count)]
            var bindings = PostgresBindings(capacity: chunk.count * columns.count)
            var tuples: [String] = []
            tuples.reserveCapacity(chunk.count)
            for (offset, row) in zip(chunk.indices, chunk) {
                guard row.count == columns.count else {
                    throw PostgresImportError(.badValue, "Row \(offset + 1) of \(table.name) has \(row.count) values for \(columns.count) columns.")
                }
                var cells: [String] = []
                for (column, value) in zip(columns, row) {
                    do {
                        try bind(value, as: column.type, into: &bindings)
                    } catch {
                        throw PostgresImportError(
                            .badValue, "Row \(offset + 1) of \(table.name): its \(column.name) (\(error)) cannot be stored as \(column.type).")
                    }
                    cells.append("CAST($\(bindings.count) AS \(column.type))")
                }
                tuples.append("(" + cells.joined(separator: ", ") + ")")
            }
            try await connection.query(PostgresQuery(unsafeSQL: head + tuples.joined(separator: ", "), binds: bindings), logger: logger)
            start += chunk.count
        }
        for column in columns where column.isIdentity {
            try await connection.query(
                PostgresQuery(
                    unsafeSQL:
                        "SELECT setval(pg_get_serial_sequence('\(table.name)', '\(column.name)'), (SELECT max(\(quoted(column.name))) FROM \(quoted(table.name))))"
                ), logger: logger)
        }
        let count = try await Self.rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(quoted(table.name))"), on: connection, logger: logger)
            .first?.decode(Int.self)
        guard count == table.rows.count else {
            throw PostgresImportError(.badValue, "\(table.name): \(table.rows.count) rows copied but \(count ?? 0) stored.")
        }
    }

    /// The kind of a value that does not fit (never the value: it may be a sealed secret).
    private struct Misfit: Error, CustomStringConvertible {
        var description: String
    }

    /// Binds `value` for a column of PostgreSQL type `type` (the statement casts it there).
    private static func bind(_ value: TableValue, as type: String, into bindings: inout PostgresBindings) throws {
        switch (value, type) {
        case (.null, _):
            bindings.appendNull()
        case (.integer(let integer), "boolean") where integer == 0 || integer == 1:
            bindings.append(integer == 1)
        case (.integer(let integer), "integer"), (.integer(let integer), "bigint"), (.integer(let integer), "smallint"):
            bindings.append(integer)
        case (.real(let real), "integer"), (.real(let real), "bigint"), (.real(let real), "smallint"):
            guard let integer = Int64(exactly: real) else { throw Misfit(description: "a fraction") }
            bindings.append(integer)
        case (.integer(let integer), "double precision"):
            bindings.append(Double(integer))
        case (.real(let real), "double precision"):
            bindings.append(real)
        case (.text(let text), "text"), (.text(let text), "timestamp with time zone"):
            bindings.append(text)
        case (.integer(let integer), "text"):
            bindings.append(String(integer))
        case (.real(let real), "text"):
            bindings.append(String(real))
        case (.integer, _): throw Misfit(description: "an integer")
        case (.real, _): throw Misfit(description: "a real number")
        case (.text, _): throw Misfit(description: "text")
        case (.blob, _): throw Misfit(description: "bytes")
        }
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
