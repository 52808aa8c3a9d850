import Foundation
import FreshetSQLite
import Testing

@Suite struct SQLiteTimestampTests {
    @Test func writesFixedWidthISO8601WithMilliseconds() {
        #expect(SQLiteTimestamp.text(SQLiteTimestamp.date(milliseconds: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(SQLiteTimestamp.text(SQLiteTimestamp.date(milliseconds: 1_750_000_000_123)) == "2025-06-15T15:06:40.123Z")
        #expect(SQLiteTimestamp.text(SQLiteTimestamp.date(milliseconds: -1)) == "1969-12-31T23:59:59.999Z")
        #expect(SQLiteTimestamp.text(Date(timeIntervalSince1970: 951_782_400.0004)) == "2000-02-29T00:00:00.000Z")
        #expect(SQLiteTimestamp.text(.distantFuture).count == 24)
    }

    @Test func readsBackTheSameInstant() throws {
        for ms: Int64 in [0, 1, -1, 951_782_400_999, 1_750_000_000_123, 4_102_444_800_000, -2_208_988_800_000] {
            let date = SQLiteTimestamp.date(milliseconds: ms)
            let text = SQLiteTimestamp.text(date)
            #expect(SQLiteTimestamp.date(text) == date, "\(text)")
        }
        let now = Date()
        let again = try #require(SQLiteTimestamp.date(SQLiteTimestamp.text(now)))
        #expect(abs(again.timeIntervalSince(now)) < 0.001)
        #expect(SQLiteTimestamp.text(again) == SQLiteTimestamp.text(now))
    }

    @Test func refusesOtherForms() {
        for text in ["", "2025-06-15T15:06:40Z", "2025-06-15 15:06:40.123Z", "2025-13-15T15:06:40.123Z", "2025-06-15T15:06:4x.123Z"] {
            #expect(SQLiteTimestamp.date(text) == nil, "\(text)")
        }
    }
}
