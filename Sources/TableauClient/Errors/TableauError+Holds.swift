import Foundation

extension TableauError {
    /// How long Tableau asked this client to leave the site alone, in seconds: a 429's (or
    /// 503's) `Retry-After`, else a wait its text names ("Please retry after 29 minutes",
    /// "retry after 90 seconds"); nil when it named none.
    public var holdSeconds: Double? {
        guard let status, status == 429 || status == 503 else { return nil }
        if let retryAfter, retryAfter > 0 { return retryAfter }
        return Self.waitNamed(in: [summary, detail].compactMap { $0 }.joined(separator: " "))
    }

    /// The wait a text names after "retry after" / "try again in" ("29 minutes", "90 seconds",
    /// "1 hour"), in seconds; nil when it names none.
    public static func waitNamed(in text: String) -> Double? {
        let pattern = #"(?i)(?:retry|try again)\s+(?:after|in)\s+(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let numberRange = Range(match.range(at: 1), in: text), let unitRange = Range(match.range(at: 2), in: text),
            let number = Double(text[numberRange])
        else { return nil }
        switch text[unitRange].lowercased().first {
        case "h": return number * 3600
        case "m": return number * 60
        default: return number
        }
    }
}
