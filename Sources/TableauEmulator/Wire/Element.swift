/// One element of a Tableau response body.
///
/// The same tree renders as Tableau's XML (`tsResponse` in the `http://tableau.com/api`
/// namespace) or as Tableau's JSON form (REST-API.md §15): attributes and children become keys,
/// list containers hold an array under their item name (or `{}` when empty), and text content
/// becomes a plain string or a `value` key.
struct Element: Sendable {
    var name: String
    var attributes: [Attribute]
    var children: [Element]
    var text: String?
    /// A container of repeated items (`workbooks`, `tags`, `backgroundJobs`): in JSON its items
    /// always form an array, and an empty container is `{}`.
    var isList: Bool
    /// Already-rendered text of this element in the response's format (see ``RenderCache``).
    var rendered: String?

    init(_ name: String, _ attributes: [Attribute] = [], children: [Element] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
        self.isList = false
        self.rendered = nil
    }

    /// An element whose text in the response's format is already known.
    static func prerendered(_ name: String, _ text: String) -> Element {
        var element = Element(name)
        element.rendered = text
        return element
    }

    /// A list container such as `<workbooks>` holding `items`.
    static func list(_ name: String, _ items: [Element]) -> Element {
        var element = Element(name, children: items)
        element.isList = true
        return element
    }

    /// Keeps only the attributes and children named in `fields` (the `fields=` query parameter).
    func selecting(_ fields: Set<String>) -> Element {
        var copy = self
        copy.attributes = attributes.filter { fields.contains($0.name) }
        copy.children = children.filter { fields.contains($0.name) }
        return copy
    }
}

/// An attribute of an ``Element``; `nil` values are left out when rendering.
struct Attribute: Sendable {
    enum Value: Sendable {
        case string(String)
        case bool(Bool)
    }

    var name: String
    var value: Value

    init(_ name: String, _ value: String) {
        self.name = name
        self.value = .string(value)
    }

    init(_ name: String, bool: Bool) {
        self.name = name
        self.value = .bool(bool)
    }

    var text: String {
        switch value {
        case .string(let string): string
        case .bool(let bool): bool ? "true" : "false"
        }
    }
}

extension Array where Element == Attribute {
    /// Appends an attribute only when `value` is present.
    mutating func add(_ name: String, _ value: String?) {
        if let value { append(Attribute(name, value)) }
    }
}
