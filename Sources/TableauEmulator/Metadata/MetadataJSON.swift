import Foundation
import GraphQL
import OrderedCollections

/// Writes GraphQL results as JSON, keeping object keys in the order of the query.
enum MetadataJSON {
    /// `{"data":…,"errors":[…]}`; `errors` only when there are some, `data` null when absent.
    static func response(data: Map?, errors: [GraphQLError]) -> String {
        var out = "{\"data\":"
        if let data { write(data, into: &out) } else { out += "null" }
        if !errors.isEmpty {
            out += ",\"errors\":["
            for (index, error) in errors.enumerated() {
                if index > 0 { out += "," }
                write(error, into: &out)
            }
            out += "]"
        }
        out += "}"
        return out
    }

    /// `{"message","locations"?,"path","extensions"}` with null path / extensions when absent, as Tableau sends.
    static func write(_ error: GraphQLError, into out: inout String) {
        out += "{\"message\":"
        writeString(error.message, into: &out)
        if !error.locations.isEmpty {
            out += ",\"locations\":["
            out += error.locations.map { "{\"line\":\($0.line),\"column\":\($0.column)}" }.joined(separator: ",")
            out += "]"
        }
        out += ",\"path\":"
        if error.path.elements.isEmpty {
            out += "null"
        } else {
            out += "["
            for (index, element) in error.path.elements.enumerated() {
                if index > 0 { out += "," }
                switch element {
                case .index(let position): out += String(position)
                case .key(let key): writeString(key, into: &out)
                }
            }
            out += "]"
        }
        out += ",\"extensions\":"
        var extensions = error.extensions
        if let failure = error.originalError as? MetadataFailure {
            extensions["severity"] = extensions["severity"] ?? "ERROR"
            extensions["code"] = extensions["code"] ?? .string(failure.code)
        }
        if extensions.isEmpty {
            out += "null"
        } else {
            // Tableau's order: severity, code, properties, then anything else.
            let order = ["severity", "code", "properties"]
            let keys = order.filter { extensions[$0] != nil } + extensions.keys.filter { !order.contains($0) }.sorted()
            out += "{"
            for (index, key) in keys.enumerated() {
                if index > 0 { out += "," }
                writeString(key, into: &out)
                out += ":"
                write(extensions[key] ?? .null, into: &out)
            }
            out += "}"
        }
        out += "}"
    }

    static func write(_ value: Map, into out: inout String) {
        switch value {
        case .undefined, .null:
            out += "null"
        case .bool(let flag):
            out += flag ? "true" : "false"
        case .number(let number):
            switch number.storageType {
            case .bool: out += number.boolValue ? "true" : "false"
            case .int: out += String(number.intValue)
            case .double, .unknown:
                let double = number.doubleValue
                if !double.isFinite {
                    out += "null"
                } else if double == double.rounded(), abs(double) < 1e15 {
                    out += String(Int(double))
                } else {
                    out += String(double)
                }
            }
        case .string(let text):
            writeString(text, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case .dictionary(let fields):
            out += "{"
            var first = true
            for (key, item) in fields {
                if !first { out += "," }
                first = false
                writeString(key, into: &out)
                out += ":"
                write(item, into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
