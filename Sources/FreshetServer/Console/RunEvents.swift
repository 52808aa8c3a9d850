import Foundation
import Freshet
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// Live run states for open pages: `GET /runs/events?id=…` streams Server-Sent Events (one
/// `run` event per state change, from the refresh engine's change notifications, so a change
/// made in this process reaches the page at once), and `GET /runs/states?id=…` answers the same
/// JSON once, for the script's polling fallback. Runs the token may not read are left out.
struct RunEvents {
    /// How long one event stream stays open; the browser reconnects on its own (`retry`).
    static let streamLimit: Duration = .seconds(25)
    static let maxRuns = 100
    let api: FreshetAPI

    /// What a page needs to update a run in place.
    struct LiveState: Encodable {
        var id: String
        var state: String
        var finished: Bool
        var jobId: String?
        var notes: String?
        var duration: String?

        init(_ run: Run) {
            id = run.id
            state = run.state.rawValue
            finished = run.state.isTerminal
            jobId = run.jobId
            notes = run.notes
            duration = run.state.isTerminal ? RunRowModel.duration(run.updatedAt.timeIntervalSince(run.createdAt)) : nil
        }
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("runs/states") { request, context in
            let runs = try await readableRuns(request, context)
            return try api.json(runs.map(LiveState.init), headers: [.cacheControl: "no-store"])
        }
        router.get("runs/events") { request, context in
            let runs = try await readableRuns(request, context)
            let ids = runs.filter { !$0.state.isTerminal }.map(\.id)
            let initial = runs.map(Self.event).reduce(into: ByteBuffer(string: "retry: 1000\n\n")) { buffer, event in
                var event = event
                buffer.writeBuffer(&event)
            }
            let engine = api.engine
            let body = ResponseBody { writer in
                try await writer.write(initial)
                if !ids.isEmpty {
                    let (changes, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            defer { continuation.finish() }
                            _ = try? await cancelWhenGracefulShutdown {
                                try await engine.wait(for: ids, limit: Self.streamLimit, onChange: { run in continuation.yield(Self.event(run)) })
                            }
                        }
                        for await change in changes { try await writer.write(change) }
                        group.cancelAll()
                    }
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
                body: body)
        }
    }

    /// One `run` event with the run's state as JSON.
    static func event(_ run: Run) -> ByteBuffer {
        let json = (try? FreshetAPI.encoder.encode(LiveState(run))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ByteBuffer(string: "event: run\ndata: \(json)\n\n")
    }

    /// The runs named by the `id` parameters that the token may read.
    private func readableRuns(_ request: Request, _ context: FreshetRequestContext) async throws -> [Run] {
        let everything = try await RunAuthorization.authorizeReading(request, context, api)
        let token = try context.requireToken()
        var runs: [Run] = []
        let ids: [String] = request.uri.queryParameters.getAll("id").map { String($0) }
        for id in Set(ids.prefix(Self.maxRuns)) {
            guard let run = try await api.runtime.store.run(id: id) else { continue }
            if !everything, !(try await RunAuthorization.readable(run, token: token, api)) { continue }
            runs.append(run)
        }
        return runs
    }
}
