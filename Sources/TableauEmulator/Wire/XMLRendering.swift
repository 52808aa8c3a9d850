import Foundation

/// Renders response trees as Tableau's XML.
enum XMLRendering {
    /// The `tsResponse` document holding `children`, with the XML declaration that Tableau's
    /// Python client needs to detect the namespace.
    static func document(_ children: [Element], schemaVersion: String) -> String {
        var out = "<?xml version='1.0' encoding='UTF-8'?>"
        let xsd = "ts-api_" + schemaVersion.replacingOccurrences(of: ".", with: "_") + ".xsd"
        out += "<tsResponse xmlns=\"http://tableau.com/api\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        out += " xsi:schemaLocation=\"http://tableau.com/api https://help.tableau.com/samples/en-us/rest_api/\(xsd)\">"
        for child in children { write(child, to: &out) }
        out += "</tsResponse>"
        return out
    }

    static func write(_ element: Element, to out: inout String) {
        if let rendered = element.rendered {
            out += rendered
            return
        }
        out += "<"
        out += element.name
        for attribute in element.attributes {
            out += " "
            out += attribute.name
            out += "=\""
            escape(attribute.text, into: &out, attribute: true)
            out += "\""
        }
        if element.children.isEmpty && element.text == nil {
            out += "/>"
            return
        }
        out += ">"
        if let text = element.text { escape(text, into: &out, attribute: false) }
        for child in element.children { write(child, to: &out) }
        out += "</"
        out += element.name
        out += ">"
    }

    static func escape(_ string: String, into out: inout String, attribute: Bool) {
        var needsEscape = false
        for byte in string.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte < 0x20 {
            needsEscape = true
            break
        }
        guard needsEscape else {
            out += string
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
    }
}
