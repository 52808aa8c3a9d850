import Foundation

/// A JSON value with the distinctions JSON Schema needs (integer or not, boolean or number).
enum JSONInstance: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONInstance])
    case object([String: JSONInstance])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONInstance].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONInstance].self))
        }
    }

    /// The value as Yams or JSONSerialization would give it, for `enum` and `const`.
    init(yaml value: Any) {
        switch value {
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .integer(value)
        case let value as Double: self = .number(value)
        case let value as String: self = .string(value)
        case let value as [Any]: self = .array(value.map(JSONInstance.init(yaml:)))
        case let value as [String: Any]: self = .object(value.mapValues(JSONInstance.init(yaml:)))
        default: self = .null
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    var numeric: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }
}

/// The subset of JSON Schema 2020-12 that openapi.yaml uses (type, properties, required,
/// additionalProperties, items, enum, const, lengths, bounds, pattern, format date-time, allOf,
/// anyOf, oneOf, not, if/then/else, dependentRequired, dependentSchemas, min/maxProperties,
/// min/maxItems, `$ref` into the document).
/// Annotations (description, default, writeOnly…) are ignored.
struct JSONSchemaChecker {
    /// The whole OpenAPI document, for `$ref`.
    let document: [String: Any]

    /// Every way `instance` breaks `schema`, each naming where (`$.runs[0].state`); empty when it conforms.
    func violations(_ instance: JSONInstance, _ schema: Any, at path: String = "$") -> [String] {
        if let allowed = schema as? Bool { return allowed ? [] : ["\(path): no value is allowed here"] }
        guard let schema = schema as? [String: Any] else { return ["\(path): unreadable schema"] }
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            var rest = schema
            rest["$ref"] = nil
            return violations(instance, target, at: path) + (rest.isEmpty ? [] : violations(instance, rest, at: path))
        }
        var found: [String] = []
        if let types = Self.types(schema["type"]), !types.contains(where: { Self.matches(instance, type: $0) }) {
            return ["\(path): \(instance.typeName) where the document says \(types.joined(separator: " or "))"]
        }
        if let values = schema["enum"] as? [Any], !values.map(JSONInstance.init(yaml:)).contains(instance) {
            found.append("\(path): \(Self.describe(instance)) is not one of \(values)")
        }
        if let value = schema["const"], JSONInstance(yaml: value) != instance {
            found.append("\(path): \(Self.describe(instance)) is not \(value)")
        }
        switch instance {
        case .string(let text): found += stringViolations(text, schema, path)
        case .integer, .number: found += numberViolations(instance.numeric ?? 0, schema, path)
        case .array(let items): found += arrayViolations(items, schema, path)
        case .object(let members): found += objectViolations(members, schema, path)
        default: break
        }
        found += combinationViolations(instance, schema, path)
        return found
    }

    func resolve(_ reference: String) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = (node as? [String: Any])?[key] else { return nil }
            node = next
        }
        return node
    }

    private func stringViolations(_ text: String, _ schema: [String: Any], _ path: String) -> [String] {
        var found: [String] = []
        let length = text.unicodeScalars.count
        if let minimum = schema["minLength"] as? Int, length < minimum { found.append("\(path): shorter than \(minimum) characters") }
        if let maximum = schema["maxLength"] as? Int, length > maximum { found.append("\(path): longer than \(maximum) characters") }
        if let pattern = schema["pattern"] as? String {
            if let regex = try? NSRegularExpression(pattern: pattern) {
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    found.append("\(path): \(Self.describe(.string(text))) does not match \(pattern)")
                }
            } else {
                found.append("\(path): the document's pattern \(pattern) does not compile")
            }
        }
        if schema["format"] as? String == "date-time", !Self.isDateTime(text) { found.append("\(path): \"\(text)\" is not an RFC 3339 date-time") }
        return found
    }

    private func numberViolations(_ value: Double, _ schema: [String: Any], _ path: String) -> [String] {
        var found: [String] = []
        if let minimum = (schema["minimum"]).flatMap(Self.double), value < minimum { found.append("\(path): \(value) is below \(minimum)") }
        if let maximum = (schema["maximum"]).flatMap(Self.double), value > maximum { found.append("\(path): \(value) is above \(maximum)") }
        if let minimum = (schema["exclusiveMinimum"]).flatMap(Self.double), value <= minimum { found.append("\(path): \(value) is not above \(minimum)") }
        if let maximum = (schema["exclusiveMaximum"]).flatMap(Self.double), value >= maximum { found.append("\(path): \(value) is not below \(maximum)") }
        return found
    }

    private func arrayViolations(_ items: [JSONInstance], _ schema: [String: Any], _ path: String) -> [String] {
        var found: [String] = []
        if let minimum = schema["minItems"] as? Int, items.count < minimum { found.append("\(path): fewer than \(minimum) items") }
        if let maximum = schema["maxItems"] as? Int, items.count > maximum { found.append("\(path): more than \(maximum) items") }
        if let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { found += violations(item, itemSchema, at: "\(path)[\(index)]") }
        }
        return found
    }

    private func objectViolations(_ members: [String: JSONInstance], _ schema: [String: Any], _ path: String) -> [String] {
        var found: [String] = []
        let properties = schema["properties"] as? [String: Any] ?? [:]
        for name in schema["required"] as? [String] ?? [] where members[name] == nil { found.append("\(path): required member \"\(name)\" is missing") }
        if let minimum = schema["minProperties"] as? Int, members.count < minimum { found.append("\(path): fewer than \(minimum) members") }
        if let maximum = schema["maxProperties"] as? Int, members.count > maximum { found.append("\(path): more than \(maximum) members") }
        for (name, needed) in schema["dependentRequired"] as? [String: [String]] ?? [:] where members[name] != nil {
            for other in needed where members[other] == nil { found.append("\(path): \"\(name)\" needs \"\(other)\"") }
        }
        for (name, dependent) in schema["dependentSchemas"] as? [String: Any] ?? [:] where members[name] != nil {
            found += violations(.object(members), dependent, at: path).map { "\($0) (with \"\(name)\")" }
        }
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            if let propertySchema = properties[name] {
                found += violations(value, propertySchema, at: "\(path).\(name)")
            } else if let additional = schema["additionalProperties"] {
                if additional as? Bool == false {
                    found.append("\(path): member \"\(name)\" is not in the document")
                } else {
                    found += violations(value, additional, at: "\(path).\(name)")
                }
            }
        }
        return found
    }

    private func combinationViolations(_ instance: JSONInstance, _ schema: [String: Any], _ path: String) -> [String] {
        var found: [String] = []
        for part in schema["allOf"] as? [Any] ?? [] { found += violations(instance, part, at: path) }
        if let options = schema["anyOf"] as? [Any], !options.contains(where: { violations(instance, $0, at: path).isEmpty }) {
            found.append("\(path): matches none of anyOf (\(violations(instance, options[0], at: path).joined(separator: "; ")))")
        }
        if let options = schema["oneOf"] as? [Any] {
            let matching = options.filter { violations(instance, $0, at: path).isEmpty }.count
            if matching != 1 { found.append("\(path): matches \(matching) of oneOf's \(options.count) schemas, not exactly one") }
        }
        if let negated = schema["not"], violations(instance, negated, at: path).isEmpty { found.append("\(path): matches the schema under not") }
        if let condition = schema["if"] {
            let branch = violations(instance, condition, at: path).isEmpty ? schema["then"] : schema["else"]
            if let branch { found += violations(instance, branch, at: path).map { "\($0) (if/then/else)" } }
        }
        return found
    }

    static func types(_ value: Any?) -> [String]? {
        if let single = value as? String { return [single] }
        return value as? [String]
    }

    static func matches(_ instance: JSONInstance, type: String) -> Bool {
        switch (type, instance) {
        case ("number", .integer), ("number", .number): true
        case ("integer", .number(let value)): value.rounded() == value
        default: instance.typeName == type
        }
    }

    static func double(_ value: Any) -> Double? {
        (value as? Int).map(Double.init) ?? (value as? Double)
    }

    static func describe(_ instance: JSONInstance) -> String {
        if case .string(let text) = instance { return "\"\(text.prefix(60))\"" }
        return instance.typeName
    }

    /// RFC 3339 `date-time`: full date, `T`, time with optional fraction, `Z` or an offset.
    static func isDateTime(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})/) != nil
    }
}
