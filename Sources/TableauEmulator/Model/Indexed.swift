/// Items kept in insertion order with an index by id: Tableau lists come back in a stable order,
/// and gets by id stay O(1) on sites of 10,000 workbooks.
struct Indexed<Item: Sendable>: Sendable {
    private(set) var items: [Item] = []
    private var positions: [String: Int] = [:]
    private let key: @Sendable (Item) -> String

    init(key: @escaping @Sendable (Item) -> String) {
        self.key = key
    }

    var count: Int { items.count }

    subscript(id: String) -> Item? {
        get { positions[id].map { items[$0] } }
        set {
            if let position = positions[id] {
                if let newValue { items[position] = newValue } else { remove(id) }
            } else if let newValue {
                append(newValue)
            }
        }
    }

    mutating func append(_ item: Item) {
        let id = key(item)
        if let position = positions[id] {
            items[position] = item
        } else {
            positions[id] = items.count
            items.append(item)
        }
    }

    mutating func remove(_ id: String) {
        guard let position = positions.removeValue(forKey: id) else { return }
        items.remove(at: position)
        for index in position..<items.count { positions[key(items[index])] = index }
    }

    func first(where predicate: (Item) -> Bool) -> Item? { items.first(where: predicate) }
}
