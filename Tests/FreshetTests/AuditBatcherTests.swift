import Foundation
import Synchronization
import Testing

@testable import Freshet

/// An audit store whose writes wait at a gate, counting how many writes it was asked for.
private final class GatedAuditStore: AuditStore {
    private let state = Mutex<(writes: [[AuditEvent]], gate: CheckedContinuation<Void, Never>?, entered: CheckedContinuation<Void, Never>?, failing: Bool)>(
        ([], nil, nil, false))

    var writes: [[AuditEvent]] { state.withLock { $0.writes } }

    func failNext() { state.withLock { $0.failing = true } }

    /// Waits until a write is held at the gate.
    func held() async {
        await withCheckedContinuation { continuation in
            let already = state.withLock { state in
                if state.gate != nil { return true }
                state.entered = continuation
                return false
            }
            if already { continuation.resume() }
        }
    }

    func open() {
        state.withLock { state in
            defer { state.gate = nil }
            return state.gate
        }?.resume()
    }

    func append(_ event: AuditEvent) async throws { try await append(contentsOf: [event]) }

    func append(contentsOf events: [AuditEvent]) async throws {
        let first = state.withLock { $0.writes.isEmpty }
        if first {
            await withCheckedContinuation { continuation in
                let entered = state.withLock { state in
                    state.gate = continuation
                    defer { state.entered = nil }
                    return state.entered
                }
                entered?.resume()
            }
        }
        let failing = state.withLock { state in
            defer { state.failing = false }
            state.writes.append(events)
            return state.failing
        }
        if failing { throw StoreError(.unavailable, "disk full") }
    }

    func events(_ query: AuditQuery) async throws -> [AuditEvent] { writes.flatMap { $0 } }
}

private func event(_ n: Int) -> AuditEvent {
    AuditEvent(time: Date(timeIntervalSince1970: Double(n)), actor: "t", action: "run.test", target: "item \(n)", outcome: "success", details: [:])
}

@Suite struct AuditBatcherTests {
    @Test func eventsArrivingDuringAWriteShareTheNextOne() async throws {
        let store = GatedAuditStore()
        let batcher = AuditBatcher(store)
        async let first: Void = batcher.append([event(0)])
        await store.held()
        // Ten callers arrive while the first write is under way.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...10 { group.addTask { try await batcher.append([event(n)]) } }
            // Let every caller hand its event over before the gate opens.
            while batcher.pendingCount < 10 { await Task.yield() }
            store.open()
            try await group.waitForAll()
        }
        try await first
        #expect(store.writes.count == 2)
        #expect(store.writes[0].map(\.target) == ["item 0"])
        #expect(Set(store.writes[1].map(\.target)) == Set((1...10).map { "item \($0)" }))
    }

    @Test func eachCallerSeesTheFailureOfTheWriteThatCarriedItsEventsWhichTheNextWriteCarriesAgain() async throws {
        let store = GatedAuditStore()
        let batcher = AuditBatcher(store)
        let first = Task { try await batcher.append([event(0)]) }
        await store.held()
        store.failNext()
        store.open()
        await #expect(throws: StoreError.self) { try await first.value }
        // The next caller's write carries the failed event first; nothing is lost.
        try await batcher.append([event(1), event(2)])
        #expect(store.writes.last?.map(\.target) == ["item 0", "item 1", "item 2"])
        #expect(batcher.pendingCount == 0)
    }

    /// Holds the batcher's pauses after a failure until the test ends them.
    private actor Pauses {
        private(set) var asked: [Duration] = []
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func pause(_ delay: Duration) async {
            asked.append(delay)
            await withCheckedContinuation { waiting.append($0) }
        }
        func end() {
            for pause in waiting { pause.resume() }
            waiting = []
        }
    }

    @Test func whenNobodyAppendsAFailedWriteIsTriedAgainAfterAPauseThatGrows() async throws {
        let store = GatedAuditStore()
        let pauses = Pauses()
        let batcher = AuditBatcher(store, pause: { await pauses.pause($0) })
        let first = Task { try await batcher.append([event(0)]) }
        await store.held()
        store.failNext()
        store.open()
        await #expect(throws: StoreError.self) { try await first.value }
        while await pauses.asked.count < 1 { await Task.yield() }
        store.failNext()
        await pauses.end()
        while await pauses.asked.count < 2 { await Task.yield() }
        #expect(await pauses.asked == [.milliseconds(500), .milliseconds(1000)])
        #expect(batcher.pendingCount == 1)
        await pauses.end()
        while batcher.pendingCount > 0 || store.writes.count < 3 { await Task.yield() }
        #expect(store.writes.map { $0.map(\.target) } == [["item 0"], ["item 0"], ["item 0"]])
    }

    @Test func oneCallersEventsStayInOrder() async throws {
        let store = GatedAuditStore()
        let batcher = AuditBatcher(store)
        async let first: Void = batcher.append([event(0)])
        await store.held()
        store.open()
        try await first
        try await batcher.append((1...5).map(event))
        #expect(store.writes.flatMap { $0 }.map(\.target) == (0...5).map { "item \($0)" })
    }
}
