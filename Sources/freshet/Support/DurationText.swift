import ArgumentParser

/// A duration written like `30m`, `90s`, `1h30m`, `2h` or plain seconds (`45`).
struct DurationText: ExpressibleByArgument, Sendable {
    let duration: Duration
    let text: String

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        if let seconds = Double(text), seconds > 0 {
            duration = .milliseconds(Int64(seconds * 1000))
            self.text = argument
            return
        }
        var total = 0.0
        var number = ""
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, total > 0 else { return nil }
        duration = .milliseconds(Int64(total * 1000))
        self.text = argument
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

import Foundation
