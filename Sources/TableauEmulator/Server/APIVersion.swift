import Foundation

/// A REST API version such as 3.24, compared numerically (3.9 < 3.10).
struct APIVersion: Comparable, Sendable, CustomStringConvertible {
    var major: Int
    var minor: Int

    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else { return nil }
        self.major = major
        self.minor = minor
    }

    static let minimum = APIVersion("2.4")!

    static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    var description: String { "\(major).\(minor)" }

    /// The Tableau release that introduced this version, for serverinfo's productVersion.
    var productVersion: (version: String, build: String) {
        let releases: [String: String] = [
            "3.15": "2022.1", "3.16": "2022.2", "3.17": "2022.3", "3.18": "2022.4", "3.19": "2023.1", "3.20": "2023.2",
            "3.21": "2023.3", "3.22": "2024.1", "3.23": "2024.2", "3.24": "2024.3", "3.25": "2025.1", "3.26": "2025.2",
            "3.27": "2025.3", "3.28": "2026.1", "3.29": "2026.2",
        ]
        let release = releases[description] ?? (self < APIVersion("3.15")! ? "2021.4" : "2026.2")
        let compact = release.replacingOccurrences(of: ".", with: "")
        return (release + ".0", "\(compact).\(minor).0918.1200")
    }
}
