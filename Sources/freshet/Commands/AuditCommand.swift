import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import FreshetServer

/// `freshet audit`: read the audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List the audit log, newest first.",
        discussion: """
            Every connection change (field names only, never secret values), health check and sign-in is \
            recorded with actor, time, target and outcome.

            Examples:
              freshet audit --action connection. --limit 20
              freshet audit --target prod --json

            Environment: FRESHET_DATA_DIR. Exit codes: 0 success, 2 usage or configuration error.
            """
    )

    @Option(help: "Only this action, or a prefix ending in a dot (connection.).") var action: String?
    @Option(help: "Only this target (a connection name…).") var target: String?
    @Option(help: "Only this actor.") var actor: String?
    @Option(help: "Only success or failure.") var outcome: String?
    @Option(help: "How many events.") var limit = 50
    @OptionGroup var location: DataLocation
    @OptionGroup var remote: RemoteServer
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLI.run {
            let query = AuditQuery(actor: actor, action: action, target: target, outcome: outcome, limit: limit)
            let client = try remote.client()
            let events = try await client != nil ? RemoteReads.audit(query, client!) : location.runtime().store.events(query).map(APIAuditEvent.init)
            if json { return Output.json(events) }
            for event in events {
                let details = event.details.additionalProperties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                Output.line("\(event.time.ISO8601Format())  \(event.actor)  \(event.action)  \(event.target)  \(event.outcome.rawValue)  \(details)")
            }
        }
    }
}
