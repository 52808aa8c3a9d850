package import Foundation

/// Expiry durations as people write them: `90m`, `12h`, `30d`, `8w`.
package enum TokenExpiry {
    /// Seconds in `text`, or nil when it is not a positive number followed by m, h, d or w.
    package static func seconds(_ text: String) -> TimeInterval? {
        // Exactly 1 to 4 digits without a leading zero, then m, h, d or w (as the API document says):
        // at most 9999 weeks, so the expiry stays a four-digit year (RFC 3339).
        let digits = text.dropLast()
        guard let unit = text.last, (1...4).contains(digits.count), digits.first != "0",
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Double(digits)
        else { return nil }
        switch unit {
        case "m": return number * 60
        case "h": return number * 3600
        case "d": return number * 86_400
        case "w": return number * 604_800
        default: return nil
        }
    }
}
