import Foundation
import HTTPTypes
import Synchronization

/// The emulator's own control API under `/_emulator/` (a path Tableau does not use): request log,
/// faults, session revocation, PAT rotation, the manual clock, jobs and webhook deliveries. JSON in and out.
struct AdminRoutes: Sendable {
    let state: EmulatorState

    func handle(method: HTTPRequest.Method, segments: [String], query: QueryString, body: [UInt8]) async -> Reply {
        if method == .put, segments.count == 2, segments[0] == "pats" { return rotatePAT(segments[1], body) }
        switch (method, segments) {
        case (.get, ["health"]):
            return .json(200, #"{"status":"ok"}"#)
        case (.get, ["requests"]):
            return encode(state.requestLog.snapshot())
        case (.delete, ["requests"]):
            state.requestLog.clear()
            return .noContent
        case (.get, ["faults"]):
            return encode(state.faults.withLock { $0.settings })
        case (.put, ["faults"]):
            return setFaults(body)
        case (.post, ["sessions", "revoke"]):
            return revoke(body)
        case (.get, ["sessions"]):
            return sessions()
        case (.post, ["clock", "advance"]):
            return advanceClock(body)
        case (.get, ["jobs"]):
            return jobs()
        case (.get, ["webhook-deliveries"]):
            return encode(state.webhookDeliveries.withLock { $0 })
        default:
            return problem(404, "No emulator admin endpoint \(method.rawValue) /_emulator/\(segments.joined(separator: "/")).")
        }
    }

    private func encode(_ value: some Encodable) -> Reply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return problem(500, "Could not encode the answer.") }
        return .json(200, String(decoding: data, as: UTF8.self))
    }

    private func problem(_ status: Int, _ message: String) -> Reply {
        var out = "{"
        JSONRendering.writeKey("error", into: &out)
        JSONRendering.writeString(message, into: &out)
        return .json(status, out + "}")
    }

    private func object(_ body: [UInt8]) -> [String: Any]? {
        if body.isEmpty { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    private func setFaults(_ body: [UInt8]) -> Reply {
        let settings: FaultSettings
        do {
            settings = try JSONDecoder().decode(FaultSettings.self, from: Data(body.isEmpty ? Array("{}".utf8) : body))
        } catch {
            return problem(400, "The body is not a valid faults object: \(error)")
        }
        if let message = settings.problem() { return problem(400, message) }
        state.faults.withLock { $0.settings = settings }
        state.world.withLock { $0.defaultMaxConcurrentJobs = settings.maxConcurrentJobsPerSite }
        return encode(settings)
    }

    private func revoke(_ body: [UInt8]) -> Reply {
        guard let object = object(body) else { return problem(400, "Expected a JSON object: {\"token\": T}, {\"pat\": NAME} or {} for all.") }
        let count = state.world.withLock { $0.revoke(token: object["token"] as? String, patName: object["pat"] as? String) }
        return .json(200, "{\"revoked\":\(count)}")
    }

    private func rotatePAT(_ name: String, _ body: [UInt8]) -> Reply {
        guard let object = object(body), let secret = object["secret"] as? String, !secret.isEmpty else {
            return problem(400, "Expected {\"secret\": S} and optionally \"expiresInDays\": N.")
        }
        let days = (object["expiresInDays"] as? NSNumber)?.doubleValue
        guard state.rotatePersonalAccessToken(named: name, secret: secret, expiresInDays: days) else {
            return problem(404, "No personal access token named \(name).")
        }
        return .noContent
    }

    private func sessions() -> Reply {
        let list = state.world.withLock { world in
            world.sessions.values.sorted { $0.createdAt < $1.createdAt }.map { session -> [String: Any] in
                [
                    "siteId": session.siteId, "userId": session.userId, "method": session.method.rawValue,
                    "pat": session.patName ?? NSNull(), "expiresAt": TableauDate.format(session.expiresAt),
                ]
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: list, options: [.sortedKeys])) ?? Data("[]".utf8)
        return .json(200, String(decoding: data, as: UTF8.self))
    }

    private func advanceClock(_ body: [UInt8]) -> Reply {
        guard let seconds = (object(body)?["seconds"] as? NSNumber)?.doubleValue, seconds >= 0 else {
            return problem(400, "Expected {\"seconds\": N} with N ≥ 0.")
        }
        guard state.clock.advance(by: seconds) else { return problem(409, "The emulator runs on the system clock; start it with a manual clock to advance time.") }
        state.tick()
        return .json(200, "{\"now\":\"\(TableauDate.format(state.clock.now()))\"}")
    }

    private func jobs() -> Reply {
        let snapshot: [(Job, Int)] = (try? state.withWorld { world, now in
            world.jobs.values.sorted { $0.createdAt < $1.createdAt }.map { ($0, $0.progress(at: now)) }
        }) ?? []
        let list: [[String: Any]] = snapshot.map { job, progress -> [String: Any] in
                [
                    "id": job.id, "siteId": job.siteId, "type": job.kind.rawValue, "itemId": job.itemId, "itemName": job.itemName,
                    "status": job.status.rawValue, "finishCode": job.finishCode ?? NSNull(), "incremental": job.incremental,
                    "createdAt": TableauDate.format(job.createdAt), "progress": progress,
                    // Epoch milliseconds, for benchmarks that measure how soon a completion is noticed.
                    "createdAtMs": Self.epochMilliseconds(job.createdAt),
                    "startedAtMs": job.startedAt.map { Self.epochMilliseconds($0) as Any } ?? NSNull(),
                    "completedAtMs": job.completedAt.map { Self.epochMilliseconds($0) as Any } ?? NSNull(),
                ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: list, options: [.sortedKeys])) ?? Data("[]".utf8)
        return .json(200, String(decoding: data, as: UTF8.self))
    }

    private static func epochMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
