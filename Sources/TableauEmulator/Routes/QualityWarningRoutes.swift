import Foundation
import HTTPTypes

/// Data quality warnings (`sites/{site}/dataQualityWarnings/…`): add, query, update and delete, by
/// content (`{contentType}/{contentId}`) or by warning id.
extension Routes {
    /// `rest` is the path after `dataQualityWarnings`, as sent (ids keep their case).
    func qualityWarnings(_ call: Call, siteId: String, rest: [String]) throws(EmulatorError) -> Reply {
        let method = call.method.rawValue
        switch (rest.count, method) {
        case (1, "GET"): return try warningById(call, siteId: siteId, id: rest[0])
        case (1, "PUT"): return try updateWarning(call, siteId: siteId, id: rest[0])
        case (1, "DELETE"):
            let id = rest[0]
            return try deleteWarnings(call, siteId: siteId, byId: id) { $0.id == id }
        case (2, "POST"): return try addWarning(call, siteId: siteId, contentType: rest[0], contentId: rest[1])
        case (2, "GET"): return try warningsOfContent(call, siteId: siteId, contentType: rest[0], contentId: rest[1])
        case (2, "PUT"): return try updateWarning(call, siteId: siteId, contentType: rest[0], contentId: rest[1])
        case (2, "DELETE"):
            let (type, contentId) = (try Self.contentType(rest[0]), rest[1])
            return try deleteWarnings(call, siteId: siteId, content: (type, contentId)) { $0.contentType == type && $0.contentId == contentId }
        case (1...2, _): throw .methodNotAllowed(method, call.path)
        default: throw .unknownResource(call.path)
        }
    }

    private static func contentType(_ text: String) throws(EmulatorError) -> String {
        let type = text.lowercased()
        guard QualityWarning.contentTypes.contains(type) else {
            throw .badRequest("The content type '\(text)' is not valid. Use one of: \(QualityWarning.contentTypes.sorted().joined(separator: ", ")).")
        }
        return type
    }

    /// The warning fields of the request body; `type` must be one of Tableau's warning types.
    private struct WarningFields {
        var type: String?
        var message: String?
        var isActive: Bool?
        var isSevere: Bool?

        init(_ call: Call) throws(EmulatorError) {
            guard let body = try call.document().child("dataQualityWarning") else {
                throw .badRequest("The request body must hold a dataQualityWarning element.")
            }
            if let type = body["type"] {
                guard QualityWarning.types.contains(type.uppercased()) else {
                    throw .badRequest("The data quality warning type '\(type)' is not valid. Use one of: \(QualityWarning.types.sorted().joined(separator: ", ")).")
                }
                self.type = type.uppercased()
            }
            message = body["message"]
            isActive = body["isActive"].map { $0.lowercased() == "true" }
            isSevere = body["isSevere"].map { $0.lowercased() == "true" }
        }

        func apply(to warning: inout QualityWarning, now: Date) {
            if let type { warning.type = type }
            if let message { warning.message = message }
            if let isActive { warning.isActive = isActive }
            if let isSevere { warning.isSevere = isSevere }
            warning.updatedAt = now
        }
    }

    /// The caller, who must be allowed to change warnings: an administrator, or the owner of a data source.
    private func warningEditor(_ session: Session, site: Site, contentType: String, contentId: String) throws(EmulatorError) -> User {
        guard let user = site.users[session.userId] else { throw .invalidCredentials }
        if SiteRole.administrators.contains(user.siteRole) { return user }
        if contentType == "datasource", site.datasources[contentId]?.ownerId == user.id { return user }
        throw .forbidden("User '\(user.name)' may not change data quality warnings of this \(contentType).")
    }

    /// 404 unless the site has the content (data sources, tables and databases are known; flows and
    /// virtual connections are not seeded, so they are never found).
    private func requireContent(_ site: Site, contentType: String, contentId: String) throws(EmulatorError) {
        let exists: Bool
        switch contentType {
        case "datasource": exists = site.datasources[contentId] != nil
        case "table": exists = site.tables.contains { $0.id == contentId }
        case "database": exists = MetadataLineage(site: site).databases.contains { $0.luid == contentId }
        default: exists = false
        }
        guard exists else {
            if contentType == "datasource" { throw Routes.contentNotFound(.datasource, contentId) }
            throw .notFound("404000", "The \(contentType) '\(contentId)' could not be found.")
        }
    }

    private func addWarning(_ call: Call, siteId: String, contentType: String, contentId: String) throws(EmulatorError) -> Reply {
        let type = try Self.contentType(contentType)
        let fields = try WarningFields(call)
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            let site = world.sites[index]
            try requireContent(site, contentType: type, contentId: contentId)
            let user = try warningEditor(session, site: site, contentType: type, contentId: contentId)
            var warning = QualityWarning(
                id: UUID().uuidString.lowercased(), contentType: type, contentId: contentId, type: "WARNING", message: "",
                isActive: true, isSevere: false, ownerId: user.id, ownerDisplayName: user.fullName, createdAt: now, updatedAt: now
            )
            fields.apply(to: &warning, now: now)
            world.sites[index].qualityWarnings.append(warning)
            return .ok(ItemElements.qualityWarning(warning, siteId: siteId))
        }
    }

    private func warningsOfContent(_ call: Call, siteId: String, contentType: String, contentId: String) throws(EmulatorError) -> Reply {
        let type = try Self.contentType(contentType)
        return try state.withWorld { world, now throws(EmulatorError) in
            let (_, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            let site = world.sites[index]
            try requireContent(site, contentType: type, contentId: contentId)
            let warnings = site.qualityWarnings.items.filter { $0.contentType == type && $0.contentId == contentId }
            return .ok(.list("dataQualityWarningList", warnings.map { ItemElements.qualityWarning($0, siteId: siteId) }))
        }
    }

    private func warningById(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (_, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            guard let warning = world.sites[index].qualityWarnings[id] else {
                throw .notFound("404000", "Data quality warning '\(id)' could not be found.")
            }
            return .ok(ItemElements.qualityWarning(warning, siteId: siteId))
        }
    }

    /// Update Data Quality Warning by id.
    private func updateWarning(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let fields = try WarningFields(call)
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            guard var warning = world.sites[index].qualityWarnings[id] else {
                throw .notFound("404000", "Data quality warning '\(id)' could not be found.")
            }
            _ = try warningEditor(session, site: world.sites[index], contentType: warning.contentType, contentId: warning.contentId)
            fields.apply(to: &warning, now: now)
            world.sites[index].qualityWarnings.append(warning)
            return .ok(ItemElements.qualityWarning(warning, siteId: siteId))
        }
    }

    /// `PUT dataQualityWarnings/{contentType}/{contentId}` (what tableauserverclient's `update_dqw`
    /// sends): updates the content's warning of the body's type, else its only warning.
    private func updateWarning(_ call: Call, siteId: String, contentType: String, contentId: String) throws(EmulatorError) -> Reply {
        let type = try Self.contentType(contentType)
        let fields = try WarningFields(call)
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            let site = world.sites[index]
            try requireContent(site, contentType: type, contentId: contentId)
            _ = try warningEditor(session, site: site, contentType: type, contentId: contentId)
            let existing = site.qualityWarnings.items.filter { $0.contentType == type && $0.contentId == contentId }
            guard var warning = existing.first(where: { $0.type == fields.type }) ?? (existing.count == 1 ? existing[0] : nil) else {
                throw .notFound("404000", "The \(type) '\(contentId)' has no data quality warning\(fields.type.map { " of type \($0)" } ?? "") to update.")
            }
            fields.apply(to: &warning, now: now)
            world.sites[index].qualityWarnings.append(warning)
            let all = world.sites[index].qualityWarnings.items.filter { $0.contentType == type && $0.contentId == contentId }
            return .ok(.list("dataQualityWarningList", all.map { ItemElements.qualityWarning($0, siteId: siteId) }))
        }
    }

    /// Deletes one warning (`byId`: 404 when unknown) or every warning of `content` (404 when the content is unknown).
    private func deleteWarnings(
        _ call: Call, siteId: String, byId: String? = nil, content: (type: String, id: String)? = nil, matching: (QualityWarning) -> Bool
    ) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            if let content { try requireContent(world.sites[index], contentType: content.type, contentId: content.id) }
            let doomed = world.sites[index].qualityWarnings.items.filter(matching)
            if let byId, doomed.isEmpty { throw .notFound("404000", "Data quality warning '\(byId)' could not be found.") }
            for warning in doomed {
                _ = try warningEditor(session, site: world.sites[index], contentType: warning.contentType, contentId: warning.contentId)
            }
            for warning in doomed { world.sites[index].qualityWarnings.remove(warning.id) }
            return .noContent
        }
    }
}
