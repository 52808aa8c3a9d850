/// Renders response trees in Tableau's JSON form (REST-API.md §15).
enum JSONRendering {
    /// The JSON object standing for `tsResponse`: its keys are the root's children.
    static func document(_ children: [Element]) -> String {
        var out = "{"
        var first = true
        for child in children {
            if !first { out += "," }
            first = false
            writeKey(child.name, into: &out)
            writeValue(child, into: &out)
        }
        out += "}"
        return out
    }

    /// Writes the value an element stands for: a string for text-only elements, otherwise an object.
    static func writeValue(_ element: Element, into out: inout String) {
        if let rendered = element.rendered {
            out += rendered
            return
        }
        if element.attributes.isEmpty && element.children.isEmpty && !element.isList {
            if let text = element.text {
                writeString(text, into: &out)
            } else {
                out += "{}"
            }
            return
        }
        out += "{"
        var first = true
        func separator() {
            if !first { out += "," }
            first = false
        }
        for attribute in element.attributes {
            separator()
            writeKey(attribute.name, into: &out)
            switch attribute.value {
            case .string(let string): writeString(string, into: &out)
            case .bool(let bool): out += bool ? "true" : "false"
            }
        }
        if let text = element.text {
            separator()
            writeKey("value", into: &out)
            writeString(text, into: &out)
        }
        if element.isList {
            // Group items by name: `"workbook":[…]`; an empty container stays `{}`.
            var names: [String] = []
            var groups: [String: [Element]] = [:]
            for child in element.children {
                if groups[child.name] == nil { names.append(child.name) }
                groups[child.name, default: []].append(child)
            }
            for name in names {
                separator()
                writeKey(name, into: &out)
                out += "["
                for (index, item) in groups[name, default: []].enumerated() {
                    if index > 0 { out += "," }
                    writeValue(item, into: &out)
                }
                out += "]"
            }
        } else {
            for child in element.children {
                separator()
                writeKey(child.name, into: &out)
                writeValue(child, into: &out)
            }
        }
        out += "}"
    }

    static func writeKey(_ key: String, into out: inout String) {
        writeString(key, into: &out)
        out += ":"
    }

    static func writeString(_ string: String, into out: inout String) {
        out += "\""
        var plain = true
        for byte in string.utf8 where byte == 0x22 || byte == 0x5C || byte < 0x20 {
            plain = false
            break
        }
        if plain {
            out += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }
}
