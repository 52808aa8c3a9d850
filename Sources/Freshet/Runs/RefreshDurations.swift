import Foundation

/// How long each item's recent refreshes took (Tableau's creation of the job to its end), so
/// that a waiting job is first checked near its expected end rather than on a fixed schedule.
/// Kept per process and learned again after a restart (one refresh of an item suffices).
struct RefreshDurations {
    /// Durations kept per item (the newest).
    static let kept = 5

    private var recent: [String: [Double]] = [:]
    private var order: [String] = []
    /// Items remembered at most (the least recently refreshed are forgotten).
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// The key of `item` on `connectionId`.
    static func key(_ connectionId: String, _ item: RunItem) -> String {
        "\(connectionId)|\(item.contentType.rawValue)|\(item.tableauId)"
    }

    /// Notes that a refresh of the item `key` took `seconds`.
    mutating func record(_ seconds: Double, for key: String) {
        guard seconds.isFinite, seconds >= 0 else { return }
        if recent[key] == nil {
            order.append(key)
            if order.count > capacity {
                recent[order.removeFirst()] = nil
            }
        }
        var values = recent[key, default: []]
        values.append(seconds)
        if values.count > Self.kept { values.removeFirst(values.count - Self.kept) }
        recent[key] = values
    }

    /// The median of the item's recent durations, or nil before its first refresh ended.
    func expected(for key: String) -> Double? {
        guard let values = recent[key], !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
