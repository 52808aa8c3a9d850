import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element, with its namespace, for checking Tableau's XML answers.
struct XMLNode: Sendable {
    var name: String
    var namespace: String?
    var attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    struct NotXML: Error, CustomStringConvertible {
        var text: String
        var description: String { "not XML: \(text.prefix(300))" }
    }

    static func parse(_ text: String) throws -> XMLNode {
        let parser = XMLParser(data: Data(text.utf8))
        parser.shouldProcessNamespaces = true
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { throw NotXML(text: text) }
        return root
    }

    /// The first descendant (depth first, self included) with this local name.
    func first(_ name: String) -> XMLNode? {
        if self.name == name { return self }
        for child in children {
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// All descendants with this local name.
    func all(_ name: String) -> [XMLNode] {
        (self.name == name ? [self] : []) + children.flatMap { $0.all(name) }
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLNode] = []
        var root: XMLNode?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            stack.append(XMLNode(name: elementName, namespace: namespaceURI, attributes: attributeDict))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
        }
    }
}
