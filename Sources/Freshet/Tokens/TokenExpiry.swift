import Foundation

/// Expiry durations as people write them: `90m`, `12h`, `30d`, `8w`.
public enum TokenExpiry {
    /// Seconds in `text`, or nil when it is not a positive number followed by m, h, d or w.
    public static func seconds(_ text: String) -> TimeInterval? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = text.last, let number = Double(text.dropLast()), number > 0, number.isFinite else { return nil }
        switch unit {
        case "m": return number * 60
        case "h": return number * 3600
        case "d": return number * 86_400
        case "w": return number * 604_800
        default: return nil
        }
    }
}
