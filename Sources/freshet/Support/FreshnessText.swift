import Foundation
import Freshet
import FreshetAPITypes

/// How `freshet freshness` writes ages, reasons and scopes for people.
enum FreshnessText {
    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// "45s", "12m", "3h 5m", "2d 4h".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" }
        if total < 86_400 { return "\(total / 3600)h" + (total % 3600 >= 60 ? " \(total % 3600 / 60)m" : "") }
        return "\(total / 86_400)d" + (total % 86_400 >= 3600 ? " \(total % 86_400 / 3600)h" : "")
    }

    /// Why an item is stale, in words.
    static func reason(_ raw: String?) -> String {
        raw.map { FreshnessStatus.Reason(rawValue: $0)?.phrase ?? $0 } ?? "-"
    }

    /// What a policy applies to, in words.
    static func scope(_ view: APIFreshnessPolicy) -> String {
        if let project = view.project { return "project \(project) on \(view.connection)" }
        if let name = view.itemName ?? view.itemId {
            return "\(view.itemType == .workbook ? "workbook" : "data source") \(name) on \(view.connection)"
        }
        return "every item of \(view.connection)"
    }

    /// `text` on one line, at most 80 characters.
    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }
}

/// The freshness and quality-warnings answers and bodies of the API, generated from openapi.yaml.
enum RemoteFreshness {
    typealias Page = Operations.GetApiV1Freshness.Output.Ok.Body.JsonPayload
    typealias Policies = Operations.GetApiV1FreshnessPolicies.Output.Ok.Body.JsonPayload
    typealias Removed = Operations.DeleteApiV1FreshnessPolicies.Output.Ok.Body.JsonPayload
    typealias Setting = Operations.PutApiV1QualityWarningsConnectionsConnection.Output.Ok.Body.JsonPayload
    typealias SettingBody = Operations.PutApiV1QualityWarningsConnectionsConnection.Input.Body.JsonPayload
    typealias Warnings = APIQualityWarnings
}

extension Components.Schemas.FreshnessPolicySet {
    /// The body that sets `target`'s maximum age.
    init(target: FreshnessPolicyTarget, maxAgeSeconds: Double) throws {
        self.init(
            connection: target.connection, project: target.project, itemType: try target.itemType.map { try ItemTypePayload(api: $0) }, item: target.item,
            maxAgeSeconds: maxAgeSeconds)
    }
}

/// A freshness policy file: `{"policies": [{"connection": …, "project"|"datasource"|"workbook": …, "maxAge": "6h"}]}`.
enum FreshnessPolicyFile {
    struct File: Decodable {
        var policies: [Entry]
    }

    struct Entry: Decodable {
        var connection: String
        var project: String?
        var datasource: String?
        var workbook: String?
        var maxAge: String?
        var maxAgeSeconds: Double?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ url: URL) throws -> [(target: FreshnessPolicyTarget, maxAgeSeconds: Double)] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw Failure(description: "Cannot read the policy file \(url.path)") }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw Failure(description: "The policy file \(url.path) is not {\"policies\": [{\"connection\": …, \"maxAge\": \"6h\"}, …]}: \(error)")
        }
        return try file.policies.enumerated().map { index, entry in
            if [entry.project, entry.datasource, entry.workbook].compactMap({ $0 }).count > 1 {
                throw Failure(description: "Policy \(index + 1): give at most one of project, datasource and workbook")
            }
            let seconds = try entry.maxAgeSeconds ?? entry.maxAge.flatMap { DurationText(argument: $0).map { FreshnessText.seconds($0.duration) } }
                ?? { throw Failure(description: "Policy \(index + 1): maxAge (like \"6h\") or maxAgeSeconds is required") }()
            let target = FreshnessPolicyTarget(
                connection: entry.connection, project: entry.project,
                itemType: entry.datasource != nil ? "datasource" : entry.workbook != nil ? "workbook" : nil, item: entry.datasource ?? entry.workbook)
            return (target, seconds)
        }
    }
}
