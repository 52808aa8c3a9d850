import Foundation

/// A scheduled extract-refresh task and the schedule it runs on.
struct RefreshTask: Sendable {
    var id: String
    var kind: ContentKind
    var itemId: String
    var incremental: Bool
    var schedule: RefreshSchedule
    var priority: Int
    var consecutiveFailedCount: Int
    /// Tableau suspended the task (content unused, repeated failures): its item's refreshes fail until resumed.
    var suspended: Bool = false
}

/// When a task runs: `Hourly` at minute `minute` of every hour, `Daily` at `hour:minute`, `Weekly`
/// on `weekDay` at `hour:minute`, `Monthly` on day 1 at `hour:minute` (UTC).
struct RefreshSchedule: Sendable {
    static let frequencies = ["Hourly", "Daily", "Weekly", "Monthly"]
    static let weekDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    var id: String
    var name: String
    var frequency: String
    var hour: Int
    var minute: Int
    /// 1 = Sunday … 7 = Saturday (Gregorian weekday numbers).
    var weekDay: Int
    var createdAt: Date
    var updatedAt: Date

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The first run strictly after `now`.
    func nextRun(after now: Date) -> Date {
        var components = DateComponents()
        components.minute = minute
        components.second = 0
        switch frequency {
        case "Hourly":
            break
        case "Weekly":
            components.hour = hour
            components.weekday = weekDay
        case "Monthly":
            components.hour = hour
            components.day = 1
        default:
            components.hour = hour
        }
        return Self.calendar.nextDate(after: now, matching: components, matchingPolicy: .nextTime) ?? now.addingTimeInterval(86_400)
    }

    /// `HH:MM:SS` of the run time, for Cloud's `frequencyDetails/@start`.
    var startTime: String { String(format: "%02d:%02d:00", hour, minute) }

    /// Cloud's `intervals`: hours between runs for Hourly/Daily, the week day for Weekly, the month day for Monthly.
    var intervals: [(String, String)] {
        switch frequency {
        case "Hourly": [("hours", "1")]
        case "Weekly": [("weekDay", Self.weekDays[weekDay - 1])]
        case "Monthly": [("monthDay", "1")]
        default: [("hours", "24")]
        }
    }
}
