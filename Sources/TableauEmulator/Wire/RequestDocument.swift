import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed request body: an XML `tsRequest` or its JSON form, read through one tree.
///
/// In both forms an element's attributes and scalar members become ``attributes`` and nested
/// elements become ``children``; the root (`tsRequest`, or the JSON object itself) is unnamed.
struct RequestDocument: Sendable {
    var name: String
    var attributes: [String: String]
    var children: [RequestDocument]
    var text: String?

    init(name: String, attributes: [String: String] = [:], children: [RequestDocument] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child with this name (case-sensitive, as Tableau's schema is).
    func child(_ name: String) -> RequestDocument? {
        children.first { $0.name == name }
    }

    /// Follows a dotted path of child names: `"credentials.site"`.
    func at(_ path: String) -> RequestDocument? {
        var node: RequestDocument? = self
        for part in path.split(separator: ".") {
            node = node?.child(String(part))
        }
        return node
    }

    /// An attribute of this node.
    subscript(_ attribute: String) -> String? {
        attributes[attribute]
    }

    /// Parses `body` as JSON when the content type says so or the body starts with `{`, else as XML.
    static func parse(_ body: [UInt8], contentType: String?) throws(EmulatorError) -> RequestDocument {
        let firstByte = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if firstByte == nil { return RequestDocument(name: "") }
        if contentType?.lowercased().contains("json") == true || firstByte == UInt8(ascii: "{") {
            return try parseJSON(body)
        }
        return try parseXML(body)
    }

    static func parseJSON(_ body: [UInt8]) throws(EmulatorError) -> RequestDocument {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        } catch {
            throw .badRequest("Payload is either malformed or incomplete (invalid JSON).")
        }
        guard let dictionary = object as? [String: Any] else {
            throw .badRequest("Payload is either malformed or incomplete (expected a JSON object).")
        }
        return node(named: "", from: dictionary)
    }

    private static func node(named name: String, from dictionary: [String: Any]) -> RequestDocument {
        var result = RequestDocument(name: name)
        for key in dictionary.keys.sorted() {
            let value = dictionary[key]!
            if let nested = value as? [String: Any] {
                result.children.append(node(named: key, from: nested))
            } else if let array = value as? [Any] {
                for item in array {
                    if let nested = item as? [String: Any] {
                        result.children.append(node(named: key, from: nested))
                    } else if let scalar = scalarText(item) {
                        result.children.append(RequestDocument(name: key, text: scalar))
                    }
                }
            } else if let scalar = scalarText(value) {
                result.attributes[key] = scalar
            }
        }
        return result
    }

    private static func scalarText(_ value: Any) -> String? {
        if let string = value as? String { return string }
        if let number = value as? NSNumber {
            // JSONSerialization gives booleans as NSNumber; keep Tableau's "true"/"false".
            if String(describing: type(of: number)).contains("Boolean") { return number.boolValue ? "true" : "false" }
            return number.stringValue
        }
        return nil
    }

    static func parseXML(_ body: [UInt8]) throws(EmulatorError) -> RequestDocument {
        let parser = XMLParser(data: Data(body))
        let builder = XMLTreeBuilder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw .badRequest("Payload is either malformed or incomplete (invalid XML).")
        }
        var document = root
        document.name = ""
        return document
    }
}

/// Collects XMLParser events into a ``RequestDocument`` tree; local names only.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    var stack: [RequestDocument] = []
    var root: RequestDocument?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        let localName = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(RequestDocument(name: localName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { stack[stack.count - 1].text = (stack[stack.count - 1].text ?? "") + string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let finished = stack.popLast() else { return }
        if stack.isEmpty {
            root = finished
        } else {
            stack[stack.count - 1].children.append(finished)
        }
    }
}
