import Testing

@testable import Freshet

@Suite struct TableNameTests {
    /// Three parts split on the code point `.`, even when a combining mark follows it (one
    /// Character, `.` plus the mark); blank parts are refused (schemathesis found the split).
    @Test func partsSplitOnTheDotCodePoint() throws {
        let name = try #require(TableName("db.s\u{301}chema.\u{301}table"))
        #expect(name.database == "db" && name.schema == "s\u{301}chema" && name.table == "\u{301}table")
        #expect(TableName(" warehouse . public . orders ")?.description == "warehouse.public.orders")
        #expect(TableName("a.\u{a0}.c") == nil)
        #expect(TableName("a.b") == nil)
    }
}
