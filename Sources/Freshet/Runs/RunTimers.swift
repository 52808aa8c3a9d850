import Foundation

/// What a timer of the engine does when it fires.
enum RunTimerKind: Sendable, Equatable {
    /// Feed `event` to run `runId` (a retry that is due, a deadline that passed).
    case event(runId: String, event: RunEvent, token: Int)
    /// Check the waiting jobs of connection `connectionId` that are due.
    case poll(connectionId: String)
    /// Try again to give job slots to the runs of `connectionId` waiting for one.
    case slots(connectionId: String)
}

/// The engine's timers as one binary min-heap by due time: thousands of runs cost one sleeping
/// task, not one each. Entries are never removed early; a fired timer that no longer applies
/// (its run ended, its retry was superseded) is ignored by the engine.
struct RunTimers {
    private struct Entry {
        var due: Date
        var sequence: Int
        var kind: RunTimerKind
    }

    private var heap: [Entry] = []
    private var sequence = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// The earliest due time.
    var nextDue: Date? { heap.first?.due }

    /// Adds a timer firing at `due`.
    mutating func add(_ kind: RunTimerKind, at due: Date) {
        sequence += 1
        heap.append(Entry(due: due, sequence: sequence, kind: kind))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every timer due at or before `now`, earliest first.
    mutating func popDue(now: Date) -> [RunTimerKind] {
        var due: [RunTimerKind] = []
        while let first = heap.first, first.due <= now {
            due.append(first.kind)
            removeFirst()
        }
        return due
    }

    private mutating func removeFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.due == b.due ? a.sequence < b.sequence : a.due < b.due
    }
}
