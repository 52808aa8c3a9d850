import Foundation
import PostgresNIO

/// A `TIMESTAMPTZ` with whole milliseconds, as every Freshet store keeps dates: a date written and
/// read back is equal to the date the SQLite store would return (same rounding, same arithmetic).
struct PostgresTimestamp: PostgresNonThrowingEncodable, PostgresDecodable, Sendable {
    /// Milliseconds since 1970.
    var milliseconds: Int64

    /// Milliseconds from 1970 to PostgreSQL's epoch, 2000-01-01.
    private static let epochOffset: Int64 = 946_684_800_000

    init(_ date: Date) {
        let exact = date.timeIntervalSince1970 * 1000
        milliseconds = exact.isFinite ? Int64(max(-1e15, min(1e15, exact)).rounded()) : 0
    }

    /// The date, built as the SQLite store builds the dates it reads.
    var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger((milliseconds - Self.epochOffset) * 1000)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard type == .timestamptz || type == .timestamp, format == .binary, buffer.readableBytes == 8,
            let microseconds = buffer.readInteger(as: Int64.self)
        else { throw PostgresDecodingError.Code.typeMismatch }
        let rounded = microseconds >= 0 ? (microseconds + 500) / 1000 : -((-microseconds + 500) / 1000)
        milliseconds = rounded + Self.epochOffset
    }
}

extension Date {
    /// This date as bound to a query.
    var pg: PostgresTimestamp { PostgresTimestamp(self) }
}
