public import Foundation
import Synchronization

/// The emulator's notion of "now": the system clock, or a manual clock that tests and the admin
/// endpoint move forward, so that job timing is deterministic and nobody sleeps.
public final class EmulatorClock: Sendable {
    private let manual: Mutex<Date?>

    /// The system clock.
    public static func system() -> EmulatorClock { EmulatorClock(start: nil) }

    /// A clock that stands still until ``advance(by:)`` moves it.
    public static func manual(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) -> EmulatorClock {
        EmulatorClock(start: start)
    }

    private init(start: Date?) {
        manual = Mutex(start)
    }

    public var isManual: Bool { manual.withLock { $0 != nil } }

    public func now() -> Date {
        manual.withLock { $0 } ?? Date()
    }

    /// Moves a manual clock forward; returns false for the system clock.
    @discardableResult
    public func advance(by seconds: Double) -> Bool {
        manual.withLock { date in
            guard let current = date else { return false }
            date = current.addingTimeInterval(seconds)
            return true
        }
    }
}
