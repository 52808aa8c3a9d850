import Foundation

/// One `field:operator:value` term of a `filter=` query parameter; terms joined by commas are ANDed.
///
/// Operators: `eq`, `cieq`, `in` (`[a,b]`), `gt`, `gte`, `lt`, `lte`, `has`. Values may contain
/// colons (timestamps) but not commas outside an `in` list (REST-API.md §5).
struct FilterExpression: Sendable, Equatable {
    enum Operator: String, Sendable {
        case eq, cieq, `in`, gt, gte, lt, lte, has
    }

    var field: String
    var op: Operator
    var values: [String]

    /// Parses a whole `filter=` value.
    static func parse(_ raw: String, allowed: Set<String>) throws(EmulatorError) -> [FilterExpression] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for character in raw {
            switch character {
            case "[": depth += 1; current.append(character)
            case "]": depth -= 1; current.append(character)
            case "," where depth == 0:
                terms.append(current)
                current = ""
            default: current.append(character)
            }
        }
        if !current.isEmpty { terms.append(current) }
        return try terms.map { term throws(EmulatorError) in try parseTerm(term, allowed: allowed) }
    }

    private static func parseTerm(_ term: String, allowed: Set<String>) throws(EmulatorError) -> FilterExpression {
        let parts = term.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            throw .badRequest("Invalid filter expression '\(term)'. Expected field:operator:value.")
        }
        guard allowed.contains(parts[0]) else {
            throw .badRequest("Filter field '\(parts[0])' is not supported for this resource.")
        }
        guard let op = Operator(rawValue: parts[1]) else {
            throw .badRequest("Filter operator '\(parts[1])' is not supported.")
        }
        var values = [parts[2]]
        if op == .in {
            var list = parts[2]
            guard list.hasPrefix("["), list.hasSuffix("]") else {
                throw .badRequest("The 'in' operator takes a list of values in brackets: [a,b].")
            }
            list.removeFirst()
            list.removeLast()
            values = list.split(separator: ",").map(String.init)
        }
        return FilterExpression(field: parts[0], op: op, values: values)
    }

    /// Whether `item` satisfies this term.
    func matches(_ item: some Queryable) -> Bool {
        guard let value = item.field(field) else { return false }
        switch op {
        case .eq: return values.contains { Self.equals(value, $0, caseInsensitive: false) }
        case .cieq: return values.contains { Self.equals(value, $0, caseInsensitive: true) }
        case .in: return values.contains { Self.equals(value, $0, caseInsensitive: false) }
        case .has:
            let needle = values[0].lowercased()
            switch value {
            case .strings(let list): return list.contains { $0.lowercased() == needle }
            default: return value.sortText.contains(needle)
            }
        case .gt, .gte, .lt, .lte:
            guard let bound = Self.coerce(values[0], like: value) else { return false }
            let order = FieldValue.compare(value, bound)
            switch op {
            case .gt: return order == .orderedDescending
            case .gte: return order != .orderedAscending
            case .lt: return order == .orderedAscending
            default: return order != .orderedDescending
            }
        }
    }

    private static func coerce(_ text: String, like value: FieldValue) -> FieldValue? {
        switch value {
        case .date: TableauDate.parse(text).map(FieldValue.date)
        case .int: Int(text).map(FieldValue.int)
        case .bool: .bool(text.lowercased() == "true")
        default: .string(text.lowercased())
        }
    }

    private static func equals(_ value: FieldValue, _ text: String, caseInsensitive: Bool) -> Bool {
        switch value {
        case .string(let s): return caseInsensitive ? s.lowercased() == text.lowercased() : s == text
        case .strings(let list): return list.contains { caseInsensitive ? $0.lowercased() == text.lowercased() : $0 == text }
        case .bool(let b): return (b ? "true" : "false") == text.lowercased()
        case .int(let i): return Int(text) == i
        case .date(let d): return TableauDate.parse(text).map { abs($0.timeIntervalSince(d)) < 1 } ?? false
        }
    }
}
