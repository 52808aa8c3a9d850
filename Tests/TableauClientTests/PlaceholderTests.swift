import Testing
@Test func clientPlaceholder() { #expect(Bool(true)) }
