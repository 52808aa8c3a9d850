import Foundation

/// Turns ``RefreshTarget``s into the Tableau items to refresh, asking Tableau through a
/// ``RefreshGateway``. A target that matches nothing, or more than one item, fails with a message
/// listing what was found; items without extracts are returned apart, as live.
package struct TargetResolver: Sendable {
    /// The resolved request: items to refresh (each once, in target order) and live items.
    package struct Resolution: Sendable, Equatable {
        /// Items to refresh, each with the first target that named it.
        package var items: [(target: RefreshTarget, item: RefreshableItem)]
        /// Items without extracts.
        package var live: [RefreshableItem]

        package static func == (lhs: Resolution, rhs: Resolution) -> Bool {
            lhs.items.map(\.item) == rhs.items.map(\.item) && lhs.items.map(\.target) == rhs.items.map(\.target) && lhs.live == rhs.live
        }
    }

    let gateway: any RefreshGateway
    let cache: (cache: ResolutionCache, connection: String, now: Date)?
    /// Items by name, per type, when a request names many (one paged listing instead of a lookup per name).
    private var indexes: [RunItem.ContentType: [String: [RefreshableItem]]] = [:]

    /// How many names of one type make listing the site cheaper than looking each name up.
    static let namesWorthAListing = 20

    /// A resolver asking `gateway`.
    package init(gateway: any RefreshGateway) {
        self.gateway = gateway
        self.cache = nil
    }

    /// A resolver asking `gateway`, remembering recent answers for `connection` in `cache`.
    init(gateway: any RefreshGateway, cache: ResolutionCache, connection: String, now: Date) {
        self.gateway = gateway
        self.cache = (cache, connection, now)
    }

    /// Resolves every target; fails with one message per unresolved target. With
    /// `skippingTablesWithoutLineage`, a table nothing reads is left out instead (unless nothing
    /// at all resolves).
    package func resolve(_ targets: [RefreshTarget], skippingTablesWithoutLineage: Bool = false) async throws(RefreshRequestError) -> Resolution {
        guard !targets.isEmpty else { throw .invalid("Name at least one data source, workbook, project or table to refresh") }
        var resolver = self
        try await resolver.loadIndexes(for: targets)
        return try await resolver.resolveAll(targets, skippingTablesWithoutLineage: skippingTablesWithoutLineage)
    }

    /// Lists the site's items of a type once when the request names many of them.
    private mutating func loadIndexes(for targets: [RefreshTarget]) async throws(RefreshRequestError) {
        for type in RunItem.ContentType.allCases {
            let names = targets.filter { target in
                switch target {
                case .datasource(let name, _): type == .datasource && !RefreshTarget.isTableauId(name)
                case .workbook(let name, _): type == .workbook && !RefreshTarget.isTableauId(name)
                default: false
                }
            }
            guard names.count >= Self.namesWorthAListing else { continue }
            let gateway = gateway
            do {
                if let cache {
                    indexes[type] = try await cache.cache.index(connection: cache.connection, type: type, now: cache.now) {
                        try await gateway.allItems(type)
                    }
                } else {
                    indexes[type] = Dictionary(grouping: try await gateway.allItems(type), by: \.item.name)
                }
            } catch let error as GatewayError {
                throw .tableau(error)
            } catch {
                throw .tableau(GatewayError(message: "\(error)"))
            }
        }
    }

    private func resolveAll(_ targets: [RefreshTarget], skippingTablesWithoutLineage: Bool) async throws(RefreshRequestError) -> Resolution {
        var resolution = Resolution(items: [], live: [])
        var seen: Set<RunItem> = []
        var problems: [String] = []
        for target in targets {
            do throws(GatewayError) {
                let outcome: Outcome
                if let cache {
                    do {
                        outcome = try await cache.cache.outcome(connection: cache.connection, target: target, now: cache.now) {
                            try await self.resolve(target)
                        }
                    } catch let error as GatewayError {
                        throw error
                    } catch {
                        throw GatewayError(message: "\(error)")
                    }
                } else {
                    outcome = try await resolve(target)
                }
                switch outcome {
                case .success(let items):
                    for found in items where seen.insert(found.item).inserted {
                        if found.hasExtracts { resolution.items.append((target, found)) } else { resolution.live.append(found) }
                    }
                case .failure(let message):
                    if skippingTablesWithoutLineage, case .table = target, message == Self.noLineage { continue }
                    problems.append("\(target): \(message)")
                }
            } catch {
                throw .tableau(error)
            }
        }
        guard problems.isEmpty else { throw .unresolved(problems) }
        guard !resolution.items.isEmpty || !resolution.live.isEmpty else {
            throw .unresolved(targets.map { "\($0): \(Self.noLineage)" })
        }
        return resolution
    }

    /// The name, project and extracts of an item known only by its id; nil when Tableau has no such item.
    package func details(of item: RunItem) async throws(RefreshRequestError) -> RefreshableItem? {
        do throws(GatewayError) {
            return try await gateway.item(item.contentType, id: item.tableauId)
        } catch {
            throw .tableau(error)
        }
    }

    /// A target's resolution: its items, or why it has none.
    enum Outcome: Sendable {
        case success([RefreshableItem])
        case failure(String)
    }

    private func resolve(_ target: RefreshTarget) async throws(GatewayError) -> Outcome {
        switch target {
        case .datasource(let name, let project): try await resolveItem(.datasource, name, project)
        case .workbook(let name, let project): try await resolveItem(.workbook, name, project)
        case .project(let project): try await resolveProject(project)
        case .table(let table): try await resolveTable(table)
        }
    }

    private func resolveItem(_ type: RunItem.ContentType, _ name: String, _ project: String?) async throws(GatewayError) -> Outcome {
        let noun = type.noun
        if project == nil, RefreshTarget.isTableauId(name) {
            // No round trip: Tableau answers the refresh call itself (404 for an unknown id, its
            // own refusal for a live item), and ``details(of:)`` looks the item up when needed.
            let item = RunItem(contentType: type, tableauId: name.lowercased(), name: name)
            return .success([RefreshableItem(item: item, projectName: nil, hasExtracts: true, detailsUnknown: true)])
        }
        var matches = try await items(type, named: name, inProject: project)
        if matches.isEmpty, project == nil {
            // "Finance/Sales": the part before a slash may be the project.
            for slash in name.indices where name[slash] == "/" && matches.isEmpty {
                let (qualifier, rest) = (String(name[..<slash]), String(name[name.index(after: slash)...]))
                guard !qualifier.isEmpty, !rest.isEmpty else { continue }
                matches = try await items(type, named: rest, inProject: qualifier)
            }
        }
        switch matches.count {
        case 1:
            return .success(matches)
        case 0:
            if let project, !(try await gateway.projectExists(project)) { return .failure("there is no project named \"\(project)\"") }
            let others = try await gateway.items(type, limit: 1000)
            return .failure(Self.nothingNamed(name, noun: noun, project: project, near: others))
        default:
            let listed = matches.map { "\"\($0.item.name)\" in project \"\($0.projectName ?? "?")\" (id \($0.item.tableauId))" }
            return .failure(
                "\(matches.count) \(noun)s have this name: \(listed.joined(separator: "; ")). Qualify it with its project (Project/Name) or use the id")
        }
    }

    /// Items named exactly `name`: from the request's listing when it has one (a name the listing
    /// lacks — published since — is still looked up), else one lookup.
    private func items(_ type: RunItem.ContentType, named name: String, inProject project: String?) async throws(GatewayError) -> [RefreshableItem] {
        if let index = indexes[type], let listed = index[name] {
            return listed.filter { project == nil || $0.projectName == project }
        }
        return try await gateway.items(type, named: name, inProject: project)
    }

    private func resolveProject(_ project: String) async throws(GatewayError) -> Outcome {
        let items = try await gateway.items(inProject: project)
        if items.isEmpty {
            guard try await gateway.projectExists(project) else { return .failure("there is no project named \"\(project)\"") }
            return .failure("the project has no workbooks or data sources")
        }
        guard items.contains(where: \.hasExtracts) else {
            return .failure("nothing in the project has an extract; found only live content: \(Self.list(items))")
        }
        return .success(items)
    }

    private func resolveTable(_ table: TableName) async throws(GatewayError) -> Outcome {
        let items = try await gateway.downstream(of: table)
        guard !items.isEmpty else { return .failure(Self.noLineage) }
        return .success(items)
    }

    /// Why a table target resolved to nothing.
    static let noLineage = "the Metadata API lineage shows no published data source or workbook reading this table"

    static func nothingNamed(_ name: String, noun: String, project: String?, near others: [RefreshableItem]) -> String {
        let place = project.map { " in project \"\($0)\"" } ?? ""
        guard !others.isEmpty else { return "no \(noun) is named \"\(name)\"\(place); the site has no \(noun)s this account can see" }
        let wanted = name.lowercased()
        let ranked = others.sorted { rank($0.item.name.lowercased(), wanted) < rank($1.item.name.lowercased(), wanted) }
        let shown = ranked.prefix(10)
        let more = others.count > shown.count ? " and \(others.count - shown.count) more" : ""
        return "no \(noun) is named \"\(name)\"\(place) (names are exact and case-sensitive); found: \(list(Array(shown)))\(more)"
    }

    /// 0 same letters, 1 one contains the other, 2 shares a word, 3 unrelated.
    private static func rank(_ candidate: String, _ wanted: String) -> Int {
        if candidate == wanted { return 0 }
        if candidate.contains(wanted) || wanted.contains(candidate) { return 1 }
        let words = Set(wanted.split(whereSeparator: { !$0.isLetter && !$0.isNumber }))
        return candidate.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains(where: words.contains) ? 2 : 3
    }

    private static func list(_ items: [RefreshableItem]) -> String {
        items.map { item in
            "\"\(item.item.name)\"" + (item.projectName.map { " (project \"\($0)\")" } ?? "") + (item.hasExtracts ? "" : " [live]")
        }.joined(separator: ", ")
    }
}

extension RunItem.ContentType {
    /// "data source" or "workbook".
    package var noun: String {
        switch self {
        case .datasource: "data source"
        case .workbook: "workbook"
        }
    }
}
